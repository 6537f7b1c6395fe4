//! The logged-in user's avatar: an image uploaded to the application's host, then set as the profile's photo.

use bytes::Bytes;
use serde::Deserialize;

use super::{Auth, AuthenticationClient};
use crate::error::Result;
use crate::models::{UpdateUserInput, User};
use crate::transport::RestCall;

/// The multipart part that carries the image.
const FILE_FIELD: &str = "file";

impl AuthenticationClient {
    /// Uploads an image as the logged-in user's avatar and sets its URL as the profile's `photo`; returns the
    /// updated user. `image` is the file's bytes (a `Vec<u8>`, a `&'static [u8]` or [`bytes::Bytes`], which the
    /// SDK sends again without copying if a retry is needed), `file_name` its name and `content_type` its media type
    /// (`image/png`, `image/jpeg` ...).
    ///
    /// REST: `POST /api/v2/upload?folder=avatar` (`multipart/form-data`, the image in the `file` part), then
    /// GraphQL `updateUser` with the uploaded file's URL as `photo`: the JS SDK's `updateAvatar` / `uploadAvatar`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let emulator = authing_emulator::Emulator::start().await?;
    /// # let options = authing::Options::builder().host(emulator.host()).app_id(emulator.app_id()).build()?;
    /// # let app = authing::AuthenticationClient::new(&options)?;
    /// app.register_by_username("ada", "Passw0rd!").force_login(true).send().await?;
    /// let png: Vec<u8> = b"\x89PNG\r\n\x1a\n...".to_vec();
    /// let me = app.update_avatar(png, "ada.png", "image/png").await?;
    /// assert!(me.photo.is_some());
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// [`AuthingError::NotLoggedIn`](crate::AuthingError::NotLoggedIn) without a token, and
    /// [`AuthingError::Request`](crate::AuthingError::Request) for a content type that is not a media type, both
    /// before anything is sent; Authing's refusal (2020 for an invalid token, 400 for a file that is not an image,
    /// 413 for an image over the server's body limit), or transport errors.
    pub async fn update_avatar(
        &self,
        image: impl Into<Bytes>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
    ) -> Result<User> {
        #[derive(Deserialize)]
        struct Uploaded {
            url: String,
        }
        let call = RestCall::post("authentication.update_avatar", &["upload"]).query(&[("folder", "avatar")]).file(
            FILE_FIELD,
            image.into(),
            file_name.into(),
            content_type.into(),
        );
        let Uploaded { url } = self.rest(Auth::User, call).await?;
        self.update_profile(UpdateUserInput::default().photo(url)).await
    }
}
