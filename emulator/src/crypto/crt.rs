//! The RSA private-key operation for keys of two 512-bit primes (the 1024-bit keys the emulator generates), by
//! the Chinese remainder theorem with Montgomery multiplication on fixed arrays of 64-bit limbs.
//!
//! It replaces the `rsa` crate's general big-integer arithmetic on the login path, where that arithmetic was the
//! largest single cost. It is not hardened against timing attacks (neither was the call it replaces, which had no
//! blinding): the emulator is a test server and its key protects nothing.

use rsa::BigUint;
use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};

const LIMBS: usize = 8;
const HALF_BYTES: usize = LIMBS * 8;

/// A number below 2^512, least significant limb first.
type Limbs = [u64; LIMBS];

const ONE: Limbs = [1, 0, 0, 0, 0, 0, 0, 0];

/// `acc + a * b + carry` as (low limb, high limb); it never overflows 128 bits.
#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let wide = u128::from(acc) + u128::from(a) * u128::from(b) + u128::from(carry);
    (wide as u64, (wide >> 64) as u64)
}

/// `a - b`, and whether it borrowed.
fn sub(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0; LIMBS];
    let mut borrow = false;
    for i in 0..LIMBS {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        out[i] = d;
        borrow = b1 | b2;
    }
    (out, borrow)
}

/// `a + b`, and whether it carried.
fn add(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0; LIMBS];
    let mut carry = false;
    for i in 0..LIMBS {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        out[i] = s;
        carry = c1 | c2;
    }
    (out, carry)
}

/// Little-endian limbs of a number below 2^512, or `None` if it is larger.
fn limbs_of(n: &BigUint) -> Option<Limbs> {
    let bytes = n.to_bytes_le();
    if bytes.len() > HALF_BYTES {
        return None;
    }
    let mut padded = [0u8; HALF_BYTES];
    padded[..bytes.len()].copy_from_slice(&bytes);
    let mut limbs = [0; LIMBS];
    for (limb, chunk) in limbs.iter_mut().zip(padded.chunks_exact(8)) {
        *limb = u64::from_le_bytes(chunk.try_into().expect("chunks of 8 bytes"));
    }
    Some(limbs)
}

/// Arithmetic modulo an odd number `m` with 2^511 < m < 2^512, in Montgomery form (R = 2^512).
struct Modulus {
    m: Limbs,
    /// -m⁻¹ mod 2^64.
    m_inv: u64,
    /// R² mod m, to enter Montgomery form.
    r2: Limbs,
    /// R³ mod m, to reduce the high half of a 1024-bit number straight into Montgomery form.
    r3: Limbs,
}

impl Modulus {
    fn new(m: &BigUint) -> Option<Self> {
        let limbs = limbs_of(m)?;
        if limbs[0] & 1 == 0 || limbs[LIMBS - 1] >> 63 == 0 {
            return None;
        }
        // Newton's iteration doubles the correct low bits of the inverse each step: 1, 2, 4, ... 64.
        let mut inv = 1u64;
        for _ in 0..6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(limbs[0].wrapping_mul(inv)));
        }
        let r2 = limbs_of(&((BigUint::from(1u8) << (2 * HALF_BYTES * 8)) % m))?;
        let r3 = limbs_of(&((BigUint::from(1u8) << (3 * HALF_BYTES * 8)) % m))?;
        Some(Self { m: limbs, m_inv: inv.wrapping_neg(), r2, r3 })
    }

    /// a·b·R⁻¹ mod m, for a·b < m·R (so any a < R with b < m).
    fn mul(&self, a: &Limbs, b: &Limbs) -> Limbs {
        self.reduce_wide(mul_wide(a, b))
    }

    /// a²·R⁻¹ mod m, for a < m: each cross product is computed once and doubled.
    fn square(&self, a: &Limbs) -> Limbs {
        let mut t = [0u64; 2 * LIMBS];
        for i in 0..LIMBS {
            let mut carry = 0;
            for j in i + 1..LIMBS {
                (t[i + j], carry) = mac(t[i + j], a[i], a[j], carry);
            }
            t[i + LIMBS] = carry;
        }
        let mut high_bit = 0;
        for limb in &mut t {
            let next = *limb >> 63;
            *limb = (*limb << 1) | high_bit;
            high_bit = next;
        }
        let mut carry = 0;
        for i in 0..LIMBS {
            let (low, high) = mac(t[2 * i], a[i], a[i], carry);
            let (high, overflow) = t[2 * i + 1].overflowing_add(high);
            t[2 * i] = low;
            t[2 * i + 1] = high;
            carry = u64::from(overflow);
        }
        self.reduce_wide(t)
    }

    /// t·R⁻¹ mod m, for t < m·R (Montgomery reduction, one limb of t at a time).
    fn reduce_wide(&self, mut t: [u64; 2 * LIMBS]) -> Limbs {
        let m = &self.m;
        let mut overflow = 0;
        for i in 0..LIMBS {
            let k = t[i].wrapping_mul(self.m_inv);
            let mut carry = 0;
            for j in 0..LIMBS {
                (t[i + j], carry) = mac(t[i + j], k, m[j], carry);
            }
            let (sum, c1) = t[i + LIMBS].overflowing_add(carry);
            let (sum, c2) = sum.overflowing_add(overflow);
            t[i + LIMBS] = sum;
            overflow = u64::from(c1 | c2);
        }
        // The result, t[LIMBS..] plus the overflow bit, is below 2m.
        let high: Limbs = t[LIMBS..].try_into().expect("LIMBS limbs");
        let (reduced, borrow) = sub(&high, m);
        if overflow != 0 || !borrow { reduced } else { high }
    }

    /// (a + b) mod m for a, b < m.
    fn add(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (sum, carry) = add(a, b);
        let (reduced, borrow) = sub(&sum, &self.m);
        if carry || !borrow { reduced } else { sum }
    }

    /// (a - b) mod m for a, b < m.
    fn sub(&self, a: &Limbs, b: &Limbs) -> Limbs {
        let (difference, borrow) = sub(a, b);
        if borrow { add(&difference, &self.m).0 } else { difference }
    }

    /// x mod m for any x < 2^512.
    fn reduce(&self, x: &Limbs) -> Limbs {
        // m > 2^511, so x < 2m and one subtraction is enough.
        let (reduced, borrow) = sub(x, &self.m);
        if borrow { *x } else { reduced }
    }

    /// (high·2^512 + low)·R mod m: a 1024-bit number reduced into Montgomery form.
    fn to_montgomery_wide(&self, low: &Limbs, high: &Limbs) -> Limbs {
        self.add(&self.mul(low, &self.r2), &self.mul(high, &self.r3))
    }

    /// base^exponent in Montgomery form, for base in Montgomery form; fixed windows of four bits.
    fn pow(&self, base: &Limbs, exponent: &Limbs) -> Limbs {
        let mut table = [[0u64; LIMBS]; 16];
        table[0] = self.mul(&self.r2, &ONE);
        table[1] = *base;
        for i in 2..16 {
            table[i] = self.mul(&table[i - 1], base);
        }
        let mut result: Option<Limbs> = None;
        for limb in exponent.iter().rev() {
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
}

/// A private key of two 512-bit primes, ready for [`CrtKey::decrypt`].
pub(super) struct CrtKey {
    p: Modulus,
    q: Modulus,
    q_limbs: Limbs,
    /// n = p·q.
    n: [u64; 2 * LIMBS],
    /// d mod (p − 1) and d mod (q − 1).
    dp: Limbs,
    dq: Limbs,
    /// q⁻¹·R mod p: one Montgomery multiplication by it multiplies by q⁻¹.
    q_inv_r: Limbs,
}

impl CrtKey {
    /// The precomputation for `key`, or `None` if it is not made of exactly two 512-bit primes.
    pub(super) fn new(key: &rsa::RsaPrivateKey) -> Option<Self> {
        let [p, q] = key.primes() else { return None };
        if key.size() != 2 * HALF_BYTES {
            return None;
        }
        let one = BigUint::from(1u8);
        let (p_mod, q_mod) = (Modulus::new(p)?, Modulus::new(q)?);
        let dp = limbs_of(&(key.d() % (p - &one)))?;
        let dq = limbs_of(&(key.d() % (q - &one)))?;
        // Fermat: q^(p−2) = q⁻¹ mod p, for the prime p.
        let q_mont = p_mod.mul(&p_mod.reduce(&limbs_of(q)?), &p_mod.r2);
        let p_minus_two = limbs_of(&(p - BigUint::from(2u8)))?;
        let q_inv_mont = p_mod.pow(&q_mont, &p_minus_two);
        // q⁻¹·R stays in Montgomery form: multiplying a plain number by it gives a plain number times q⁻¹.
        let q_limbs = limbs_of(q)?;
        let n = mul_wide(&p_mod.m, &q_limbs);
        Some(Self { q_limbs, n, p: p_mod, q: q_mod, dp, dq, q_inv_r: q_inv_mont })
    }

    /// c^d mod n for a cipher text `c` of at most 128 bytes (big-endian), as 128 big-endian bytes; `None` if
    /// `c` is not below n.
    pub(super) fn decrypt(&self, cipher: &[u8]) -> Option<[u8; 2 * HALF_BYTES]> {
        let (low, high) = split_cipher(cipher)?;
        if !self.below_modulus(&low, &high) {
            return None;
        }
        let m1 = self.p.mul(&self.p.pow(&self.p.to_montgomery_wide(&low, &high), &self.dp), &ONE);
        let m2 = self.q.mul(&self.q.pow(&self.q.to_montgomery_wide(&low, &high), &self.dq), &ONE);
        // Garner: m = m2 + q·((m1 − m2)·q⁻¹ mod p).
        let h = self.p.mul(&self.p.sub(&m1, &self.p.reduce(&m2)), &self.q_inv_r);
        Some(to_bytes_be(&add_wide(&mul_wide(&h, &self.q_limbs), &m2)))
    }

    /// Whether high·2^512 + low < p·q.
    fn below_modulus(&self, low: &Limbs, high: &Limbs) -> bool {
        high.iter().rev().chain(low.iter().rev()).cmp(self.n.iter().rev()).is_lt()
    }
}

/// A big-endian cipher text of at most 128 bytes as its low and high 512-bit halves.
fn split_cipher(cipher: &[u8]) -> Option<(Limbs, Limbs)> {
    if cipher.len() > 2 * HALF_BYTES {
        return None;
    }
    let mut padded = [0u8; 2 * HALF_BYTES];
    padded[2 * HALF_BYTES - cipher.len()..].copy_from_slice(cipher);
    let mut wide = [0u64; 2 * LIMBS];
    for (limb, chunk) in wide.iter_mut().zip(padded.chunks_exact(8).rev()) {
        *limb = u64::from_be_bytes(chunk.try_into().expect("chunks of 8 bytes"));
    }
    let low = wide[..LIMBS].try_into().expect("LIMBS limbs");
    let high = wide[LIMBS..].try_into().expect("LIMBS limbs");
    Some((low, high))
}

/// a·b as 16 limbs.
fn mul_wide(a: &Limbs, b: &Limbs) -> [u64; 2 * LIMBS] {
    let mut out = [0u64; 2 * LIMBS];
    for (i, &a_i) in a.iter().enumerate() {
        let mut carry = 0;
        for (j, &b_j) in b.iter().enumerate() {
            (out[i + j], carry) = mac(out[i + j], a_i, b_j, carry);
        }
        out[i + LIMBS] = carry;
    }
    out
}

/// a + b for a sum known to fit in 16 limbs.
fn add_wide(a: &[u64; 2 * LIMBS], b: &Limbs) -> [u64; 2 * LIMBS] {
    let mut out = *a;
    let mut carry = false;
    for (i, limb) in out.iter_mut().enumerate() {
        let (s, c1) = limb.overflowing_add(b.get(i).copied().unwrap_or(0));
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *limb = s;
        carry = c1 | c2;
    }
    out
}

fn to_bytes_be(limbs: &[u64; 2 * LIMBS]) -> [u8; 2 * HALF_BYTES] {
    let mut out = [0u8; 2 * HALF_BYTES];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(limbs.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore as _;

    #[test]
    fn decryption_matches_general_arithmetic() {
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let crt = CrtKey::new(&key).expect("a 1024-bit key of two 512-bit primes");
        let n = key.n();
        let mut bytes = [0u8; 128];
        for round in 0..200 {
            rand::thread_rng().fill_bytes(&mut bytes);
            // Small, large and everything between, including numbers with leading zero bytes.
            let shift = round % 128;
            let cipher = BigUint::from_bytes_be(&bytes[shift..]) % n;
            let expected = rsa::hazmat::rsa_decrypt::<rand::rngs::ThreadRng>(None, &key, &cipher).unwrap();
            let got = crt.decrypt(&cipher.to_bytes_be()).unwrap();
            assert_eq!(BigUint::from_bytes_be(&got), expected, "cipher {cipher}");
        }
        for edge in [BigUint::from(0u8), BigUint::from(1u8), n - BigUint::from(1u8)] {
            let expected = rsa::hazmat::rsa_decrypt::<rand::rngs::ThreadRng>(None, &key, &edge).unwrap();
            assert_eq!(BigUint::from_bytes_be(&crt.decrypt(&edge.to_bytes_be()).unwrap()), expected);
        }
    }

    #[test]
    fn numbers_not_below_the_modulus_are_refused() {
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024).unwrap();
        let crt = CrtKey::new(&key).unwrap();
        assert!(crt.decrypt(&key.n().to_bytes_be()).is_none());
        assert!(crt.decrypt(&[0xff; 128]).is_none());
        assert!(crt.decrypt(&[1; 129]).is_none());
    }

    #[test]
    fn other_key_sizes_take_the_general_path() {
        let key = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 768).unwrap();
        assert!(CrtKey::new(&key).is_none());
    }
}
