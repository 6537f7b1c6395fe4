//! What the emulator spends on one password: RSA-1024 decryption (PKCS#1 v1.5, by the `rsa` crate) of what a
//! client sent, then checking it against the stored hash. `cargo bench -p authing-emulator --bench decrypt`.

use std::hint::black_box;

use authing_emulator::crypto::{decrypt_password, encrypt_password, generate_key, hash_password, verify_password};
use criterion::{Criterion, criterion_group, criterion_main};
use rsa::pkcs8::{EncodePublicKey as _, LineEnding};

const PASSWORD: &str = "Bench-passw0rd!";

fn decryption(c: &mut Criterion) {
    let key = generate_key(1024);
    let pem = key.to_public_key().to_public_key_pem(LineEnding::LF).expect("a PEM public key");
    let sent = encrypt_password(&pem, PASSWORD).expect("an encrypted password");
    assert_eq!(decrypt_password(&key, &sent).as_deref(), Ok(PASSWORD));
    c.bench_function("decrypt a password (RSA-1024)", |b| b.iter(|| decrypt_password(&key, black_box(&sent))));
}

fn verification(c: &mut Criterion) {
    let stored = hash_password(PASSWORD);
    assert!(verify_password(&stored, PASSWORD));
    c.bench_function("check a password against its stored hash", |b| {
        b.iter(|| verify_password(black_box(&stored), black_box(PASSWORD)))
    });
}

criterion_group!(benches, decryption, verification);
criterion_main!(benches);
