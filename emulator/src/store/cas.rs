//! CAS service tickets of the emulator's application: `ST-` + random hex, single use (a validation attempt
//! uses a ticket up, whatever its outcome, as the CAS protocol says), valid [`TICKET_TTL`], bound to the
//! service they were issued for. Nothing here knows HTTP; the front end is `oidc::cas`.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::store::common::random_hex;

/// How long a service ticket may wait for its validation.
pub(crate) const TICKET_TTL: Duration = Duration::from_secs(300);

#[derive(Clone, Debug)]
struct Ticket {
    service: String,
    user_id: String,
    expires: Instant,
}

/// Why a ticket validation failed: the CAS 2.0 failure codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TicketError {
    /// `INVALID_TICKET`: unknown, used or expired.
    InvalidTicket,
    /// `INVALID_SERVICE`: the ticket was issued for another service.
    InvalidService,
}

impl TicketError {
    /// The CAS code.
    pub(crate) fn code(self) -> &'static str {
        match self {
            TicketError::InvalidTicket => "INVALID_TICKET",
            TicketError::InvalidService => "INVALID_SERVICE",
        }
    }

    /// A description for the service.
    pub(crate) fn description(self) -> &'static str {
        match self {
            TicketError::InvalidTicket => "the ticket is unknown, already validated or expired",
            TicketError::InvalidService => "the ticket was issued for another service",
        }
    }
}

/// The open service tickets.
#[derive(Default, Debug)]
pub(crate) struct CasTickets {
    tickets: Mutex<HashMap<String, Ticket>>,
}

impl CasTickets {
    /// Issues a ticket for `service` and the signed-in user.
    pub(crate) fn issue(&self, service: &str, user_id: &str) -> String {
        let ticket = format!("ST-{}", random_hex(20));
        let entry =
            Ticket { service: service.to_owned(), user_id: user_id.to_owned(), expires: Instant::now() + TICKET_TTL };
        self.tickets.lock().unwrap_or_else(PoisonError::into_inner).insert(ticket.clone(), entry);
        ticket
    }

    /// Validates (and uses up) a ticket for `service`; returns its user id.
    pub(crate) fn validate(&self, ticket: &str, service: &str) -> Result<String, TicketError> {
        let entry = self
            .tickets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(ticket)
            .ok_or(TicketError::InvalidTicket)?;
        if Instant::now() >= entry.expires {
            return Err(TicketError::InvalidTicket);
        }
        if entry.service != service {
            return Err(TicketError::InvalidService);
        }
        Ok(entry.user_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_is_validated_once_and_for_its_service() {
        let cas = CasTickets::default();
        let t = cas.issue("http://a/", "u");
        assert!(t.starts_with("ST-"));
        assert_eq!(cas.validate(&t, "http://a/"), Ok("u".to_owned()));
        assert_eq!(cas.validate(&t, "http://a/"), Err(TicketError::InvalidTicket));
        let t = cas.issue("http://a/", "u");
        assert_eq!(cas.validate(&t, "http://b/"), Err(TicketError::InvalidService));
        assert_eq!(cas.validate(&t, "http://a/"), Err(TicketError::InvalidTicket), "used up by the failed attempt");
    }
}
