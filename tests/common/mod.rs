//! Helpers shared by the integration tests: an emulator and clients configured for it.
#![allow(dead_code)]

use authing::{AuthenticationClient, ManagementClient, Options, OptionsBuilder};
use authing_emulator::Emulator;

/// A fresh emulator on loopback; it stops when dropped.
pub async fn emulator() -> Emulator {
    Emulator::start().await.expect("the emulator starts")
}

/// Options pointing at `emulator`, with its user pool and application.
pub fn options_for(emulator: &Emulator) -> OptionsBuilder {
    Options::builder()
        .host(emulator.host())
        .user_pool_id(emulator.user_pool_id())
        .secret(emulator.secret())
        .app_id(emulator.app_id())
}

pub fn management(emulator: &Emulator) -> ManagementClient {
    ManagementClient::new(&options_for(emulator).build().unwrap()).unwrap()
}

pub fn authentication(emulator: &Emulator) -> AuthenticationClient {
    AuthenticationClient::new(&options_for(emulator).build().unwrap()).unwrap()
}
