//! What the emulator spends on a large pool: deleting 1 000 users spread over a pool of 19 000 in one
//! `deleteUsers` call, through the SDK against the embedded emulator (release-built), a fresh pool per sample.
//!
//! ```text
//! cargo bench -p authing-benches --bench emulator
//! ```

use std::time::Duration;

use authing::{ManagementClient, Options};
use authing_emulator::Emulator;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use futures::TryStreamExt as _;
use tokio::runtime::Runtime;

const POOL: usize = 19_000;
const DELETED: usize = 1_000;

/// A started emulator with `POOL` users, a client for it and every 19th user's id, spread over the whole pool.
fn seeded_pool(runtime: &Runtime) -> (Emulator, ManagementClient, Vec<String>) {
    runtime.block_on(async {
        let emulator = Emulator::builder().seed_users(POOL).start().await.expect("an emulator");
        let options = Options::builder()
            .host(emulator.host())
            .user_pool_id(emulator.user_pool_id())
            .secret(emulator.secret())
            .build()
            .expect("options");
        let management = ManagementClient::new(&options).expect("a client");
        let users: Vec<_> = management
            .users()
            .list()
            .limit(1000)
            .send()
            .await
            .expect("a page")
            .into_stream()
            .try_collect()
            .await
            .expect("the users");
        assert_eq!(users.len(), POOL);
        let doomed: Vec<String> = users.into_iter().step_by(POOL / DELETED).map(|user| user.id).collect();
        assert_eq!(doomed.len(), DELETED);
        (emulator, management, doomed)
    })
}

fn deletion(c: &mut Criterion) {
    let runtime = Runtime::new().expect("a runtime");
    let mut group = c.benchmark_group("emulator");
    // Each sample starts a fresh pool of 19 000 users, which takes far longer than the deletion measured.
    group.sample_size(10).measurement_time(Duration::from_secs(15));
    group.bench_function("delete 1 000 of 19 000 users", |b| {
        b.iter_batched(
            || seeded_pool(&runtime),
            |(emulator, management, doomed)| {
                runtime.block_on(management.users().delete_many(doomed)).expect("deleted");
                (emulator, management)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, deletion);
criterion_main!(benches);
