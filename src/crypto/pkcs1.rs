//! RSA PKCS#1 v1.5 encryption with a public key, on 64-bit limbs with Montgomery multiplication.
//!
//! The `rsa` crate parses the keys; the encryption itself is done here because its general-purpose big integers
//! spend about 35 µs on one 1024-bit public-key operation, several times what a login costs the SDK otherwise.
//! Nothing here is secret but the message, and the sequence of operations depends only on the public exponent.

use rand::RngCore;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use zeroize::Zeroize;

/// Why a message could not be encrypted.
#[derive(Debug, thiserror::Error)]
pub(crate) enum EncryptionError {
    /// PKCS#1 v1.5 leaves room for at most the key's length minus 11 bytes.
    #[error("the message is longer than the {max} bytes the public key can encrypt")]
    MessageTooLong { max: usize },
}

/// A public key prepared for encryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EncryptionKey {
    /// The modulus, least significant limb first.
    modulus: Vec<u64>,
    /// −modulus⁻¹ mod 2⁶⁴.
    inverse: u64,
    /// R² mod modulus, with R = 2^(64 · limbs): multiplying by it brings a number into Montgomery form.
    r_squared: Vec<u64>,
    /// The public exponent's bits below its leading one, most significant first.
    exponent_tail: Vec<bool>,
    /// The modulus' length in bytes, which is the length of every cipher text.
    size: usize,
}

impl EncryptionKey {
    /// Prepares `key`; `None` when its modulus is even or its exponent zero, which no RSA key has.
    pub(crate) fn new(key: &RsaPublicKey) -> Option<Self> {
        Self::from_parts(key.n(), key.e())
    }

    fn from_parts(modulus: &BigUint, exponent: &BigUint) -> Option<Self> {
        let limbs = modulus.bits().div_ceil(64);
        let modulus_limbs = to_limbs(modulus, limbs);
        if modulus_limbs.first().is_none_or(|low| low % 2 == 0) {
            return None;
        }
        let r_squared = (BigUint::from(1u8) << (128 * limbs)) % modulus;
        let exponent_bytes = exponent.to_bytes_le();
        let exponent_bits: Vec<bool> =
            (0..exponent.bits()).rev().map(|i| exponent_bytes[i / 8] >> (i % 8) & 1 == 1).collect();
        let (&leading, exponent_tail) = exponent_bits.split_first()?;
        debug_assert!(leading);
        Some(Self {
            inverse: negated_inverse(modulus_limbs[0]),
            modulus: modulus_limbs,
            r_squared: to_limbs(&r_squared, limbs),
            exponent_tail: exponent_tail.to_vec(),
            size: modulus.bits().div_ceil(8),
        })
    }

    /// Encrypts `message` (RSAES-PKCS1-v1_5, RFC 8017 §7.2.1) with random padding from `rng`.
    pub(crate) fn encrypt(&self, rng: &mut impl RngCore, message: &[u8]) -> Result<Vec<u8>, EncryptionError> {
        let max = self.size.saturating_sub(11);
        if message.len() > max {
            return Err(EncryptionError::MessageTooLong { max });
        }
        // 0x00 0x02 <non-zero random padding> 0x00 <message>
        let mut encoded = vec![0u8; self.size];
        encoded[1] = 2;
        let padding_end = self.size - message.len() - 1;
        rng.fill_bytes(&mut encoded[2..padding_end]);
        for byte in &mut encoded[2..padding_end] {
            while *byte == 0 {
                *byte = rng.next_u32() as u8;
            }
        }
        encoded[padding_end + 1..].copy_from_slice(message);
        let mut plain = limbs_from_be(&encoded, self.modulus.len());
        encoded.zeroize();
        let cipher = self.power(&plain);
        plain.zeroize();
        Ok(limbs_to_be(&cipher, self.size))
    }

    /// `base`^exponent mod modulus, for `base` < modulus.
    fn power(&self, base: &[u64]) -> Vec<u64> {
        match <&[u64; FIXED_LIMBS]>::try_from(&self.modulus[..]) {
            Ok(modulus) => FixedModulus { modulus, inverse: self.inverse }
                .power(base, &self.r_squared, &self.exponent_tail)
                .to_vec(),
            Err(_) => self.power_general(base),
        }
    }

    /// [`Self::power`] for a modulus of any length.
    fn power_general(&self, base: &[u64]) -> Vec<u64> {
        let mut scratch = vec![0u64; self.modulus.len() + 2];
        let mut base_mont = vec![0u64; self.modulus.len()];
        self.multiply(base, &self.r_squared, &mut base_mont, &mut scratch);
        let mut x = base_mont.clone();
        let mut product = vec![0u64; self.modulus.len()];
        for &bit in &self.exponent_tail {
            self.multiply(&x, &x, &mut product, &mut scratch);
            std::mem::swap(&mut x, &mut product);
            if bit {
                self.multiply(&x, &base_mont, &mut product, &mut scratch);
                std::mem::swap(&mut x, &mut product);
            }
        }
        let mut one = vec![0u64; self.modulus.len()];
        one[0] = 1;
        self.multiply(&x, &one, &mut product, &mut scratch);
        base_mont.zeroize();
        x.zeroize();
        scratch.zeroize();
        product
    }

    /// Montgomery multiplication: `out` = a · b · R⁻¹ mod modulus, for a, b < modulus (coarsely integrated
    /// operand scanning). `scratch` holds limbs + 2 limbs.
    fn multiply(&self, a: &[u64], b: &[u64], out: &mut [u64], scratch: &mut [u64]) {
        let n = &self.modulus[..];
        let s = n.len();
        // Slices of known length let the compiler drop the bounds checks in the loops below.
        let (a, b, out, t) = (&a[..s], &b[..s], &mut out[..s], &mut scratch[..s + 2]);
        t.fill(0);
        for &b_i in b {
            let mut carry = 0u64;
            for j in 0..s {
                (t[j], carry) = multiply_add(t[j], a[j], b_i, carry);
            }
            let (sum, overflow) = t[s].overflowing_add(carry);
            t[s] = sum;
            t[s + 1] = u64::from(overflow);

            let m = t[0].wrapping_mul(self.inverse);
            let (_, mut carry) = multiply_add(t[0], m, n[0], 0);
            for j in 1..s {
                (t[j - 1], carry) = multiply_add(t[j], m, n[j], carry);
            }
            let (sum, overflow) = t[s].overflowing_add(carry);
            t[s - 1] = sum;
            t[s] = t[s + 1] + u64::from(overflow);
        }
        // t < 2 · modulus: subtract the modulus once if t ≥ modulus, choosing by mask rather than by branch.
        let mut borrow = 0u64;
        for j in 0..s {
            let (difference, b1) = t[j].overflowing_sub(n[j]);
            let (difference, b2) = difference.overflowing_sub(borrow);
            out[j] = difference;
            borrow = u64::from(b1 | b2);
        }
        let (_, below) = t[s].overflowing_sub(borrow);
        let keep_t = 0u64.wrapping_sub(u64::from(below));
        for j in 0..s {
            out[j] = (t[j] & keep_t) | (out[j] & !keep_t);
        }
    }
}

/// t + a · b + carry as (low, high) limbs; it cannot overflow 128 bits.
fn multiply_add(t: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let wide = u128::from(t) + u128::from(a) * u128::from(b) + u128::from(carry);
    (wide as u64, (wide >> 64) as u64)
}

/// The number of limbs of a 1024-bit modulus, the size of Authing's keys, which has a path of its own.
const FIXED_LIMBS: usize = 16;

/// Montgomery arithmetic modulo a modulus of exactly `N` limbs. With the length known at compile time the loops
/// unroll, and squaring gets its own routine that computes each cross product once: a 1024-bit power takes about
/// a fifth less time than on the general path.
struct FixedModulus<'a, const N: usize> {
    modulus: &'a [u64; N],
    /// −modulus⁻¹ mod 2⁶⁴.
    inverse: u64,
}

impl<const N: usize> FixedModulus<'_, N> {
    /// `base`^exponent mod modulus, as [`EncryptionKey::power`] defines it.
    fn power(&self, base: &[u64], r_squared: &[u64], exponent_tail: &[bool]) -> [u64; N] {
        let limbs = |slice: &[u64]| -> [u64; N] { slice.try_into().expect("N limbs") };
        let mut base_mont = self.multiply(&limbs(base), &limbs(r_squared));
        let mut x = base_mont;
        for &bit in exponent_tail {
            x = self.square(&x);
            if bit {
                x = self.multiply(&x, &base_mont);
            }
        }
        let mut one = [0u64; N];
        one[0] = 1;
        let result = self.multiply(&x, &one);
        base_mont.zeroize();
        x.zeroize();
        result
    }

    /// a · b · R⁻¹ mod modulus, for a, b < modulus.
    fn multiply(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut product = [[0u64; N]; 2];
        for (i, &a_i) in a.iter().enumerate() {
            let mut carry = 0;
            let row = product.as_flattened_mut();
            for (j, &b_j) in b.iter().enumerate() {
                (row[i + j], carry) = multiply_add(row[i + j], a_i, b_j, carry);
            }
            row[i + N] = carry;
        }
        self.reduce(&mut product)
    }

    /// a² · R⁻¹ mod modulus, for a < modulus: the cross products once, doubled, plus the squares of the limbs.
    fn square(&self, a: &[u64; N]) -> [u64; N] {
        let mut product = [[0u64; N]; 2];
        let wide = product.as_flattened_mut();
        for i in 0..N {
            let mut carry = 0;
            for j in i + 1..N {
                (wide[i + j], carry) = multiply_add(wide[i + j], a[i], a[j], carry);
            }
            wide[i + N] = carry;
        }
        let mut shifted_out = 0;
        for limb in wide.iter_mut() {
            (*limb, shifted_out) = ((*limb << 1) | shifted_out, *limb >> 63);
        }
        let mut carry = false;
        for (i, &a_i) in a.iter().enumerate() {
            let (low, high) = multiply_add(wide[2 * i], a_i, a_i, u64::from(carry));
            wide[2 * i] = low;
            (wide[2 * i + 1], carry) = wide[2 * i + 1].overflowing_add(high);
        }
        self.reduce(&mut product)
    }

    /// Montgomery reduction: t · R⁻¹ mod modulus for t < modulus · R, given as its low and high halves.
    fn reduce(&self, t: &mut [[u64; N]; 2]) -> [u64; N] {
        let wide = t.as_flattened_mut();
        let mut pending = false;
        for i in 0..N {
            let m = wide[i].wrapping_mul(self.inverse);
            let mut carry = 0;
            for (j, &n_j) in self.modulus.iter().enumerate() {
                (wide[i + j], carry) = multiply_add(wide[i + j], m, n_j, carry);
            }
            let (sum, carried) = wide[i + N].overflowing_add(carry);
            let (sum, pended) = sum.overflowing_add(u64::from(pending));
            wide[i + N] = sum;
            pending = carried | pended;
        }
        // The high half plus `pending` · R is below 2 · modulus: subtract the modulus once if it is not below it.
        // Whether to is found first and applied as a mask, so that no branch depends on the message.
        let mut high = t[1];
        let mut borrow = false;
        for (&h, &n) in high.iter().zip(self.modulus) {
            let (difference, b1) = h.overflowing_sub(n);
            borrow = b1 | difference.overflowing_sub(u64::from(borrow)).1;
        }
        let mask = 0u64.wrapping_sub(u64::from(!borrow | pending));
        let mut borrow = false;
        for (h, &n) in high.iter_mut().zip(self.modulus) {
            let (difference, b1) = h.overflowing_sub(n & mask);
            let (difference, b2) = difference.overflowing_sub(u64::from(borrow));
            *h = difference;
            borrow = b1 | b2;
        }
        t.as_flattened_mut().zeroize();
        high
    }
}

/// −n⁻¹ mod 2⁶⁴ for an odd n, by Newton's iteration (each step doubles the correct low bits).
fn negated_inverse(n: u64) -> u64 {
    let mut inverse = 1u64;
    for _ in 0..6 {
        inverse = inverse.wrapping_mul(2u64.wrapping_sub(n.wrapping_mul(inverse)));
    }
    inverse.wrapping_neg()
}

fn to_limbs(value: &BigUint, limbs: usize) -> Vec<u64> {
    let mut bytes = value.to_bytes_le();
    bytes.resize(limbs * 8, 0);
    bytes.chunks_exact(8).map(|chunk| u64::from_le_bytes(chunk.try_into().expect("chunks of 8"))).collect()
}

/// A big-endian byte string as `limbs` little-endian limbs; it must fit.
fn limbs_from_be(bytes: &[u8], limbs: usize) -> Vec<u64> {
    let mut out = vec![0u64; limbs];
    // Eight bytes a limb from the end; the most significant chunk may be shorter.
    for (limb, chunk) in out.iter_mut().zip(bytes.rchunks(8)) {
        let mut word = [0u8; 8];
        word[8 - chunk.len()..].copy_from_slice(chunk);
        *limb = u64::from_be_bytes(word);
    }
    out
}

/// Limbs as a big-endian byte string of exactly `size` bytes (I2OSP).
fn limbs_to_be(limbs: &[u64], size: usize) -> Vec<u8> {
    let mut out = vec![0u8; size];
    for (chunk, limb) in out.rchunks_mut(8).zip(limbs) {
        let word = limb.to_be_bytes();
        chunk.copy_from_slice(&word[8 - chunk.len()..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;
    use rsa::{Pkcs1v15Encrypt, RsaPrivateKey};

    fn random_below(rng: &mut impl Rng, modulus: &BigUint) -> BigUint {
        let mut bytes = vec![0u8; modulus.bits().div_ceil(8) + 8];
        rng.fill_bytes(&mut bytes);
        BigUint::from_bytes_le(&bytes) % modulus
    }

    #[test]
    fn powers_match_general_big_integer_arithmetic() {
        let mut rng = rand::thread_rng();
        // Odd moduli of several sizes, including one whose top limb is nearly empty.
        for bits in [64, 65, 127, 512, 1000, 1024, 1025, 2048] {
            for exponent in [3u32, 17, 65537, 0x1_0001 | 0b1010_1010] {
                let mut bytes = vec![0u8; bits / 8 + 1];
                rng.fill_bytes(&mut bytes);
                let mut modulus = BigUint::from_bytes_le(&bytes) % (BigUint::from(1u8) << bits);
                modulus |= (BigUint::from(1u8) << (bits - 1)) | BigUint::from(1u8);
                let exponent = BigUint::from(exponent);
                let key = EncryptionKey::from_parts(&modulus, &exponent).unwrap();
                for _ in 0..20 {
                    let base = random_below(&mut rng, &modulus);
                    let ours = key.power(&to_limbs(&base, key.modulus.len()));
                    assert_eq!(ours, to_limbs(&base.modpow(&exponent, &modulus), key.modulus.len()), "{bits} bits");
                }
            }
        }
    }

    #[test]
    fn the_1024_bit_path_matches_the_general_one() {
        let mut rng = rand::thread_rng();
        for bits in [961, 1024] {
            let mut bytes = vec![0u8; bits / 8 + 1];
            rng.fill_bytes(&mut bytes);
            let mut modulus = BigUint::from_bytes_le(&bytes) % (BigUint::from(1u8) << bits);
            modulus |= (BigUint::from(1u8) << (bits - 1)) | BigUint::from(1u8);
            let key = EncryptionKey::from_parts(&modulus, &BigUint::from(65537u32)).unwrap();
            assert_eq!(key.modulus.len(), FIXED_LIMBS);
            let edges = [BigUint::from(0u8), BigUint::from(1u8), &modulus - BigUint::from(1u8)];
            for base in edges.into_iter().chain((0..50).map(|_| random_below(&mut rng, &modulus))) {
                let base = to_limbs(&base, FIXED_LIMBS);
                assert_eq!(key.power(&base), key.power_general(&base), "{bits} bits");
            }
        }
    }

    #[test]
    fn even_moduli_are_refused() {
        assert!(EncryptionKey::from_parts(&BigUint::from(1u64 << 40), &BigUint::from(3u8)).is_none());
    }

    #[test]
    fn cipher_texts_decrypt_with_the_private_key() {
        let mut rng = rand::thread_rng();
        let private = RsaPrivateKey::new(&mut rng, 1024).unwrap();
        let key = EncryptionKey::new(&private.to_public_key()).unwrap();
        for length in [0, 1, 15, 64, 117] {
            let message: Vec<u8> = (0..length).map(|_| rng.r#gen()).collect();
            for _ in 0..10 {
                let cipher = key.encrypt(&mut rng, &message).unwrap();
                assert_eq!(cipher.len(), 128);
                assert_eq!(private.decrypt(Pkcs1v15Encrypt, &cipher).unwrap(), message);
            }
        }
        assert!(matches!(key.encrypt(&mut rng, &[7u8; 118]), Err(EncryptionError::MessageTooLong { max: 117 })));
    }

    #[test]
    fn byte_strings_and_limbs_convert_as_big_integers_do() {
        let mut rng = rand::thread_rng();
        for size in 1..=40usize {
            let bytes: Vec<u8> = (0..size).map(|_| rng.r#gen()).collect();
            let limbs = limbs_from_be(&bytes, size.div_ceil(8));
            assert_eq!(limbs, to_limbs(&BigUint::from_bytes_be(&bytes), size.div_ceil(8)), "{bytes:?}");
            assert_eq!(limbs_to_be(&limbs, size), bytes);
        }
        // A number shorter than the size is padded with leading zeros.
        assert_eq!(limbs_to_be(&[0x0102], 4), [0, 0, 1, 2]);
        assert_eq!(limbs_from_be(&[1, 2], 2), [0x0102, 0]);
    }
}
