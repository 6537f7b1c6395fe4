//! The verification codes the emulator "sends" by SMS (`POST /api/v2/sms/send`) and e-mail (`sendEmail`).
//!
//! Nothing leaves the process: each code is kept here, per recipient, so that a test can read it with
//! [`crate::Emulator::verification_code`] or `GET /emulator/verification-codes?to=`. Rules:
//!
//! * a code is 6 random digits; sending again replaces the recipient's previous code;
//! * a code is single-use and expires after the emulator's verification-code lifetime (5 minutes by default);
//! * recipients are phone numbers as given (trimmed) or e-mail addresses compared case-insensitively.
//!
//! A code that does not match the recipient's latest one is refused with 2001 (`验证码不正确`), the latest
//! one once used with 2001 (`验证码已使用`), and once expired with 2001 (`验证码已过期`).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::Rng as _;

use crate::store::error::{ApiError, Code};

/// One code sent to a recipient.
#[derive(Clone, Debug)]
struct Sent {
    code: String,
    expires: Instant,
    used: bool,
}

/// The latest code of every recipient.
#[derive(Default, Debug)]
pub(crate) struct Outbox {
    latest: HashMap<String, Sent>,
}

/// The key of a recipient: an e-mail address lower-cased, a phone number trimmed.
fn key(to: &str) -> String {
    let to = to.trim();
    if to.contains('@') { to.to_lowercase() } else { to.to_owned() }
}

impl Outbox {
    /// Makes a new code for `to`, valid for `ttl`; it replaces the previous one.
    pub(crate) fn send(&mut self, to: &str, ttl: Duration) -> String {
        let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000u32));
        let sent = Sent { code: code.clone(), expires: Instant::now() + ttl, used: false };
        self.latest.insert(key(to), sent);
        code
    }

    /// The latest code of `to` while it is unused and unexpired.
    pub(crate) fn latest(&self, to: &str) -> Option<String> {
        self.latest.get(&key(to)).filter(|s| !s.used && s.expires > Instant::now()).map(|s| s.code.clone())
    }

    /// Checks `code` against the latest code of `to` and uses it up.
    pub(crate) fn consume(&mut self, to: &str, code: &str) -> Result<(), ApiError> {
        self.check(to, code)?;
        if let Some(sent) = self.latest.get_mut(&key(to)) {
            sent.used = true;
        }
        Ok(())
    }

    /// Checks `code` against the latest code of `to` without using it.
    pub(crate) fn check(&self, to: &str, code: &str) -> Result<(), ApiError> {
        match self.latest.get(&key(to)) {
            Some(sent) if sent.code == code.trim() => {
                if sent.used {
                    Err(ApiError::with_message(
                        Code::VerificationFailed,
                        "验证码已使用",
                        "The verification code has already been used",
                    ))
                } else if sent.expires <= Instant::now() {
                    Err(ApiError::with_message(
                        Code::VerificationFailed,
                        "验证码已过期",
                        "The verification code has expired",
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Err(ApiError::new(Code::VerificationFailed)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_use_latest_only_and_expiring() {
        let mut outbox = Outbox::default();
        let old = outbox.send("Ada@X.io", Duration::from_secs(60));
        let new = outbox.send("ada@x.io", Duration::from_secs(60));
        assert_eq!(new.len(), 6);
        assert_eq!(outbox.latest("ADA@x.io").as_deref(), Some(new.as_str()));
        if old != new {
            assert!(outbox.consume("ada@x.io", &old).is_err(), "an older code is refused");
        }
        outbox.consume("ada@x.io", &new).unwrap();
        let again = outbox.consume("ada@x.io", &new).unwrap_err();
        assert_eq!(again.code, Code::VerificationFailed);
        assert!(again.message(crate::store::error::Lang::En).contains("used"));
        assert_eq!(outbox.latest("ada@x.io"), None);

        let code = outbox.send("138", Duration::ZERO);
        let expired = outbox.consume("138", &code).unwrap_err();
        assert!(expired.message(crate::store::error::Lang::En).contains("expired"));
        assert!(outbox.consume("139", "000000").is_err(), "nothing was sent there");
    }
}
