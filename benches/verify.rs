//! Token verification, offline and online: `TokenVerifier::verify_id_token` on an RS256 id token signed with a
//! 2048-bit key (the key set already cached), next to the online check `validate_token`, a round trip to the
//! release-built emulator on loopback (which checks the same signature), so loopback is the online check's best
//! case.
//!
//! ```text
//! cargo bench -p authing-benches --bench verify
//! ```

use std::hint::black_box;

use authing::authentication::ValidateToken;
use authing::oidc::TokenVerifier;
use authing::{AccessToken, AuthenticationClient, Options};
use criterion::Criterion;
use tokio::runtime::Runtime;

fn verify(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let emulator = runtime.block_on(authing_emulator::Emulator::start()).unwrap();
    let options = Options::builder().host(emulator.host()).app_id(emulator.app_id()).build().unwrap();
    let app = AuthenticationClient::new(&options).unwrap();
    let user =
        runtime.block_on(app.register_by_username("bench-user", "Passw0rd!bench").force_login(true).send()).unwrap();
    let token = user.token.unwrap();
    let verifier = TokenVerifier::new(&options).unwrap();
    // The first verification fetches the key set; the measured ones use the cache.
    let claims = runtime.block_on(verifier.verify_id_token(token.expose(), None)).unwrap();
    assert_eq!(claims.sub, user.id);

    let mut group = c.benchmark_group("verify");
    group.bench_function("offline RS256-2048 id token", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(verifier.verify_id_token(black_box(token.expose()), None).await.unwrap()) })
    });
    let validate = ValidateToken::Id(AccessToken::new(token.expose()));
    group.bench_function("online validate_token (loopback emulator)", |b| {
        b.to_async(&runtime).iter(|| async { black_box(app.validate_token(black_box(&validate)).await.unwrap()) })
    });
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    verify(&mut criterion);
    criterion.final_summary();
}
