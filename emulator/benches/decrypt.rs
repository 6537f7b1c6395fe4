//! What the emulator spends on one password: RSA-1024 decryption (PKCS#1 v1.5) by the `rsa` crate's general
//! arithmetic, and by the emulator's own CRT path for a key of two and of eight primes; then checking it against
//! the stored hash. `cargo bench -p authing-emulator --bench decrypt`; BENCHMARKS.md quotes it.

use std::hint::black_box;

use authing_emulator::crypto::{
    DecryptionKey, decrypt_password, encrypt_password, generate_key, hash_password, verify_password,
};
use criterion::{Criterion, criterion_group, criterion_main};
use rsa::pkcs8::{EncodePublicKey as _, LineEnding};
use rsa::{BigUint, RsaPrivateKey};

const PASSWORD: &str = "Bench-passw0rd!";

/// A password encrypted for `key`, as clients send it.
fn sent_to(key: &RsaPrivateKey) -> String {
    let pem = key.to_public_key().to_public_key_pem(LineEnding::LF).expect("a PEM public key");
    encrypt_password(&pem, PASSWORD).expect("an encrypted password")
}

fn decryption(c: &mut Criterion) {
    let two_primes = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).expect("a 1024-bit key");
    let eight_primes = generate_key();
    let mut group = c.benchmark_group("decrypt a password (RSA-1024)");

    let sent = sent_to(&two_primes);
    let cipher = {
        use base64::Engine as _;
        BigUint::from_bytes_be(&base64::engine::general_purpose::STANDARD.decode(&sent).expect("base64"))
    };
    group.bench_function("rsa crate, private operation only", |b| {
        b.iter(|| rsa::hazmat::rsa_decrypt::<rand::rngs::ThreadRng>(None, black_box(&two_primes), black_box(&cipher)))
    });
    let key = DecryptionKey::new(two_primes.clone());
    assert_eq!(decrypt_password(&key, &sent).as_deref(), Ok(PASSWORD));
    group.bench_function("emulator, two primes", |b| b.iter(|| decrypt_password(&key, black_box(&sent))));

    let sent = sent_to(&eight_primes);
    let key = DecryptionKey::new(eight_primes);
    assert_eq!(decrypt_password(&key, &sent).as_deref(), Ok(PASSWORD));
    group.bench_function("emulator, eight primes", |b| b.iter(|| decrypt_password(&key, black_box(&sent))));
    group.finish();
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
