//! The RSA private-key operation for 1024-bit keys made of equal-sized primes: two of 512 bits, four of 256 bits, or
//! eight of 128 bits (the emulator's own keys, see [`generate_key`]), by the Chinese remainder theorem with Montgomery
//! multiplication on fixed arrays of 64-bit limbs.
//!
//! It replaces the `rsa` crate's general big-integer arithmetic on the login path, where that arithmetic was the
//! largest single cost. It is not hardened against timing attacks (neither was the call it replaces, which had no
//! blinding), and a key of eight 128-bit primes is far weaker than one of two: the emulator is a test server and its
//! key protects nothing. Clients see an ordinary 1024-bit public key either way.

use num_bigint_dig::RandPrime as _;
use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};
use rsa::{BigUint, RsaPrivateKey};

/// Limbs of the whole 1024-bit modulus.
const WIDE: usize = 16;

/// A 1024-bit number, least significant limb first.
type Wide = [u64; WIDE];

/// How many primes [`generate_key`] makes a key of.
const KEY_PRIMES: usize = 8;

/// A fresh 1024-bit key of eight 128-bit primes, like the emulator's own: an ordinary 1024-bit public key, with a
/// private operation that costs about a sixth of a two-prime key's. For tests only: such a key is weak.
///
/// ```
/// use rsa::traits::{PrivateKeyParts, PublicKeyParts};
///
/// let key = authing_emulator::crypto::generate_key();
/// assert_eq!((key.size(), key.primes().len()), (128, 8));
/// ```
pub fn generate_key() -> RsaPrivateKey {
    key_of_primes(KEY_PRIMES)
}

/// A fresh 1024-bit key of `count` primes of equal size.
fn key_of_primes(count: usize) -> RsaPrivateKey {
    let mut rng = rand::thread_rng();
    loop {
        let primes: Vec<BigUint> = (0..count).map(|_| rng.gen_prime(WIDE * 64 / count)).collect();
        let distinct = (0..count).all(|i| (i + 1..count).all(|j| primes[i] != primes[j]));
        let n = primes.iter().fold(BigUint::from(1u8), |n, p| n * p);
        if !distinct || n.bits() != WIDE * 64 {
            continue;
        }
        // Refused when the public exponent 65537 shares a factor with some p − 1; then new primes are drawn.
        if let Ok(key) = RsaPrivateKey::from_primes(primes, BigUint::from(65_537u32)) {
            return key;
        }
    }
}

/// `acc + a · b + carry` as (low limb, high limb); it never overflows 128 bits.
#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let wide = u128::from(acc) + u128::from(a) * u128::from(b) + u128::from(carry);
    (wide as u64, (wide >> 64) as u64)
}

/// `a - b` on the first `a.len()` limbs, and whether it borrowed.
fn sub_in_place(a: &mut [u64], b: &[u64]) -> bool {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *x = d;
        borrow = b1 | b2;
    }
    borrow
}

/// `a + b` on the first `a.len()` limbs, and whether it carried.
fn add_in_place(a: &mut [u64], b: &[u64]) -> bool {
    let mut carry = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (s, c1) = x.overflowing_add(y);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *x = s;
        carry = c1 | c2;
    }
    carry
}

/// The little-endian limbs of `n`, or `None` if it needs more than `L`.
fn limbs_of<const L: usize>(n: &BigUint) -> Option<[u64; L]> {
    let bytes = n.to_bytes_le();
    if bytes.len() > L * 8 {
        return None;
    }
    let mut limbs = [0u64; L];
    for (i, byte) in bytes.iter().enumerate() {
        limbs[i / 8] |= u64::from(*byte) << (8 * (i % 8));
    }
    Some(limbs)
}

/// One prime factor p of the key, of exactly `N` limbs with its top bit set, and what decryption needs of it.
/// Montgomery form uses R = 2^(64·N).
struct Prime<const N: usize> {
    p: [u64; N],
    /// −p⁻¹ mod 2^64.
    p_inv: u64,
    /// R^(j+1) mod p for each `N`-limb chunk j of a 1024-bit number: reduces it modulo p, as a plain number.
    chunk_plain: [[u64; N]; WIDE],
    /// R^(j+2) mod p: reduces a 1024-bit number modulo p straight into Montgomery form.
    chunk_montgomery: [[u64; N]; WIDE],
    /// d mod (p − 1).
    exponent: [u64; N],
    /// The product of the primes before this one (1 for the first), and its inverse modulo p times R.
    before: Wide,
    before_inv_r: [u64; N],
}

impl<const N: usize> Prime<N> {
    fn new(p: &BigUint, d: &BigUint, before: &BigUint) -> Option<Self> {
        let limbs: [u64; N] = limbs_of(p)?;
        if limbs[0] & 1 == 0 || limbs[N - 1] >> 63 == 0 {
            return None;
        }
        let r_power = |k: usize| limbs_of::<N>(&((BigUint::from(1u8) << (64 * N * k)) % p));
        let (mut chunk_plain, mut chunk_montgomery) = ([[0u64; N]; WIDE], [[0u64; N]; WIDE]);
        for j in 0..WIDE / N {
            chunk_plain[j] = r_power(j + 1)?;
            chunk_montgomery[j] = r_power(j + 2)?;
        }
        // Fermat: before^(p−2) = before⁻¹ mod p, for the prime p, provided p is not among the primes before it.
        let before_mod_p = before % p;
        if before_mod_p == BigUint::from(0u8) {
            return None;
        }
        let before_inv = before_mod_p.modpow(&(p - BigUint::from(2u8)), p);
        let mut inv = 1u64;
        for _ in 0..6 {
            // Newton's iteration doubles the correct low bits of p⁻¹ mod 2^64 at each step.
            inv = inv.wrapping_mul(2u64.wrapping_sub(limbs[0].wrapping_mul(inv)));
        }
        Some(Self {
            p: limbs,
            p_inv: inv.wrapping_neg(),
            chunk_plain,
            chunk_montgomery,
            exponent: limbs_of(&(d % (p - BigUint::from(1u8))))?,
            before: limbs_of(before)?,
            before_inv_r: limbs_of(&((before_inv << (64 * N)) % p))?,
        })
    }

    /// a·b·R⁻¹ mod p, for a < R and b < p.
    fn mul(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut t = [0u64; WIDE + 1];
        for (i, &a_i) in a.iter().enumerate() {
            let mut carry = 0;
            for (j, &b_j) in b.iter().enumerate() {
                (t[i + j], carry) = mac(t[i + j], a_i, b_j, carry);
            }
            t[i + N] = carry;
        }
        self.montgomery_reduce(&mut t)
    }

    /// a²·R⁻¹ mod p, for a < p: each cross product computed once and doubled, then the squares of the limbs.
    fn square(&self, a: &[u64; N]) -> [u64; N] {
        let mut t = [0u64; WIDE + 1];
        for i in 0..N {
            let mut carry = 0;
            for j in i + 1..N {
                (t[i + j], carry) = mac(t[i + j], a[i], a[j], carry);
            }
            t[i + N] = carry;
        }
        let mut top = 0;
        for limb in &mut t[..2 * N] {
            (*limb, top) = ((*limb << 1) | top, *limb >> 63);
        }
        let mut carry = false;
        for (i, &a_i) in a.iter().enumerate() {
            let (low, high) = mac(t[2 * i], a_i, a_i, u64::from(carry));
            t[2 * i] = low;
            (t[2 * i + 1], carry) = t[2 * i + 1].overflowing_add(high);
        }
        self.montgomery_reduce(&mut t)
    }

    /// t·R⁻¹ mod p for t < p·R held in the first 2N limbs of `t`, one limb of t at a time.
    fn montgomery_reduce(&self, t: &mut [u64; WIDE + 1]) -> [u64; N] {
        let mut overflow = false;
        for i in 0..N {
            let k = t[i].wrapping_mul(self.p_inv);
            let mut carry = 0;
            for (j, &p_j) in self.p.iter().enumerate() {
                (t[i + j], carry) = mac(t[i + j], k, p_j, carry);
            }
            let (sum, c1) = t[i + N].overflowing_add(carry);
            let (sum, c2) = sum.overflowing_add(u64::from(overflow));
            t[i + N] = sum;
            overflow = c1 | c2;
        }
        // The high half plus the overflow bit is below 2p.
        let mut result: [u64; N] = t[N..2 * N].try_into().expect("N limbs");
        let mut reduced = result;
        if !sub_in_place(&mut reduced, &self.p) || overflow {
            result = reduced;
        }
        result
    }

    /// (a − b) mod p for a, b < p.
    fn sub(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut difference = *a;
        if sub_in_place(&mut difference, b) {
            add_in_place(&mut difference, &self.p);
        }
        difference
    }

    /// `Σ x_j·chunk_powers[j] mod p` over the N-limb chunks x_j of x: x mod p, plain or in Montgomery form by the
    /// powers given.
    fn reduce_wide(&self, x: &Wide, chunk_powers: &[[u64; N]; WIDE]) -> [u64; N] {
        let mut sum = [0u64; N];
        for (chunk, power) in x.chunks_exact(N).zip(chunk_powers) {
            let term = self.mul(chunk.try_into().expect("N limbs"), power);
            let carried = add_in_place(&mut sum, &term);
            let mut reduced = sum;
            // sum and term are below p, and p > R/2: one subtraction is enough.
            if !sub_in_place(&mut reduced, &self.p) || carried {
                sum = reduced;
            }
        }
        sum
    }

    /// base^exponent·R mod p for base in Montgomery form; fixed windows of four bits.
    fn pow(&self, base: &[u64; N]) -> [u64; N] {
        let mut table = [[0u64; N]; 16];
        // R mod p, one in Montgomery form.
        table[0] = self.chunk_plain[0];
        table[1] = *base;
        for i in 2..16 {
            table[i] = self.mul(&table[i - 1], base);
        }
        let mut result: Option<[u64; N]> = None;
        for limb in self.exponent.iter().rev() {
            for shift in (0..16).rev() {
                let window = ((limb >> (shift * 4)) & 0xf) as usize;
                result = match result {
                    None if window == 0 => None,
                    None => Some(table[window]),
                    Some(mut r) => {
                        for _ in 0..4 {
                            r = self.square(&r);
                        }
                        Some(if window == 0 { r } else { self.mul(&r, &table[window]) })
                    }
                };
            }
        }
        result.unwrap_or(table[0])
    }

    /// c^d mod p, as a plain number.
    fn decrypt(&self, c: &Wide) -> [u64; N] {
        let mut one = [0u64; N];
        one[0] = 1;
        self.mul(&self.pow(&self.reduce_wide(c, &self.chunk_montgomery)), &one)
    }
}

/// A private key whose 1024-bit modulus is the product of distinct primes of `N` limbs each.
pub(super) struct CrtKey<const N: usize> {
    primes: Vec<Prime<N>>,
    n: Wide,
}

impl<const N: usize> CrtKey<N> {
    /// The precomputation for `key`, or `None` if its modulus is not 1024 bits of distinct `N`-limb primes.
    pub(super) fn new(key: &RsaPrivateKey) -> Option<Self> {
        if key.size() != WIDE * 8 || key.primes().len() * N != WIDE {
            return None;
        }
        let mut before = BigUint::from(1u8);
        let mut primes = Vec::with_capacity(key.primes().len());
        for p in key.primes() {
            primes.push(Prime::new(p, key.d(), &before)?);
            before *= p;
        }
        Some(Self { primes, n: limbs_of(key.n())? })
    }

    /// c^d mod n for a cipher text `c` of at most 128 bytes (big-endian), as 128 big-endian bytes; `None` if `c`
    /// is not below n.
    pub(super) fn decrypt(&self, cipher: &[u8]) -> Option<[u8; WIDE * 8]> {
        if cipher.len() > WIDE * 8 {
            return None;
        }
        let mut c: Wide = [0; WIDE];
        for (i, byte) in cipher.iter().rev().enumerate() {
            c[i / 8] |= u64::from(*byte) << (8 * (i % 8));
        }
        if c.iter().rev().cmp(self.n.iter().rev()).is_ge() {
            return None;
        }
        // Garner: with x ≡ c^d modulo the primes so far and B their product, x + B·((m − x)·B⁻¹ mod p) is c^d
        // modulo them and p too.
        let mut x: Wide = [0; WIDE];
        for prime in &self.primes {
            let m = prime.decrypt(&c);
            let x_mod_p = prime.reduce_wide(&x, &prime.chunk_plain);
            let h = prime.mul(&prime.sub(&m, &x_mod_p), &prime.before_inv_r);
            add_product(&mut x, &prime.before, &h);
        }
        let mut out = [0u8; WIDE * 8];
        for (chunk, limb) in out.chunks_exact_mut(8).zip(x.iter().rev()) {
            chunk.copy_from_slice(&limb.to_be_bytes());
        }
        Some(out)
    }
}

/// The fast path for each shape of key it handles.
pub(super) enum FastKey {
    /// Eight 128-bit primes: the emulator's own keys.
    Eight(CrtKey<2>),
    /// Four 256-bit primes.
    Four(CrtKey<4>),
    /// Two 512-bit primes: the usual 1024-bit key.
    Two(CrtKey<8>),
}

impl FastKey {
    /// The fast path for `key`, if it has one.
    pub(super) fn new(key: &RsaPrivateKey) -> Option<Self> {
        CrtKey::new(key)
            .map(Self::Eight)
            .or_else(|| CrtKey::new(key).map(Self::Four))
            .or_else(|| CrtKey::new(key).map(Self::Two))
    }

    /// [`CrtKey::decrypt`].
    pub(super) fn decrypt(&self, cipher: &[u8]) -> Option<[u8; WIDE * 8]> {
        match self {
            Self::Eight(key) => key.decrypt(cipher),
            Self::Four(key) => key.decrypt(cipher),
            Self::Two(key) => key.decrypt(cipher),
        }
    }
}

/// x += a·b, for a result known to stay below 2^1024.
fn add_product<const N: usize>(x: &mut Wide, a: &Wide, b: &[u64; N]) {
    for (i, &b_i) in b.iter().enumerate() {
        let mut carry = 0;
        for j in 0..WIDE - i {
            (x[i + j], carry) = mac(x[i + j], a[j], b_i, carry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore as _;

    fn matches_general_arithmetic<const N: usize>(key: &RsaPrivateKey) {
        let crt = CrtKey::<N>::new(key).expect("a key of 1024 bits of N-limb primes");
        let n = key.n();
        let mut bytes = [0u8; 128];
        for round in 0..200 {
            rand::thread_rng().fill_bytes(&mut bytes);
            // Small, large and everything between, including numbers with leading zero bytes.
            let cipher = BigUint::from_bytes_be(&bytes[round % 128..]) % n;
            let expected = rsa::hazmat::rsa_decrypt::<rand::rngs::ThreadRng>(None, key, &cipher).unwrap();
            let got = crt.decrypt(&cipher.to_bytes_be()).unwrap();
            assert_eq!(BigUint::from_bytes_be(&got), expected, "cipher {cipher}");
        }
        for edge in [BigUint::from(0u8), BigUint::from(1u8), n - BigUint::from(1u8)] {
            let expected = rsa::hazmat::rsa_decrypt::<rand::rngs::ThreadRng>(None, key, &edge).unwrap();
            assert_eq!(BigUint::from_bytes_be(&crt.decrypt(&edge.to_bytes_be()).unwrap()), expected);
        }
        assert!(crt.decrypt(&n.to_bytes_be()).is_none(), "n itself is not below n");
        assert!(crt.decrypt(&[0xff; 128]).is_none());
        assert!(crt.decrypt(&[1; 129]).is_none());
    }

    #[test]
    fn eight_prime_keys_decrypt_as_general_arithmetic_does() {
        let key = generate_key();
        assert_eq!((key.primes().len(), key.size()), (8, 128));
        assert!(key.primes().iter().all(|p| p.bits() == 128));
        matches_general_arithmetic::<2>(&key);
        assert!(CrtKey::<4>::new(&key).is_none() && CrtKey::<8>::new(&key).is_none());
        assert!(matches!(FastKey::new(&key), Some(FastKey::Eight(_))));
    }

    #[test]
    fn four_prime_keys_decrypt_as_general_arithmetic_does() {
        let key = key_of_primes(4);
        assert_eq!((key.primes().len(), key.size()), (4, 128));
        assert!(key.primes().iter().all(|p| p.bits() == 256));
        matches_general_arithmetic::<4>(&key);
        assert!(CrtKey::<2>::new(&key).is_none() && CrtKey::<8>::new(&key).is_none());
        assert!(matches!(FastKey::new(&key), Some(FastKey::Four(_))));
    }

    #[test]
    fn two_prime_keys_decrypt_as_general_arithmetic_does() {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        matches_general_arithmetic::<8>(&key);
        assert!(CrtKey::<2>::new(&key).is_none() && CrtKey::<4>::new(&key).is_none());
        assert!(matches!(FastKey::new(&key), Some(FastKey::Two(_))));
    }

    #[test]
    fn other_key_sizes_take_the_general_path() {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), 768).unwrap();
        assert!(CrtKey::<8>::new(&key).is_none());
        assert!(CrtKey::<4>::new(&key).is_none());
        assert!(CrtKey::<2>::new(&key).is_none());
        assert!(FastKey::new(&key).is_none());
    }
}
