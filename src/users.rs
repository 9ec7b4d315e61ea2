//! User endpoints (authy-api.md §3.1–§3.5, §3.9, §3.10): create, status, delete, update
//! email, email token, activity, QR code, registration status.

use crate::client::Client;
use crate::endpoints;
use crate::error::Error;
use crate::params::{Params, bool_str};
use crate::response::Response;
use crate::validation;

/// Optional parameters of [`Client::create_user`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateUserOptions {
    /// Country calling code, 1–4 digits; `None` sends `1` (USA), like the official
    /// clients.
    pub country_code: Option<String>,
    /// `send_install_link_via_sms`; `None` leaves it out (the API then defaults to true).
    pub send_install_link_via_sms: Option<bool>,
}

/// Optional parameters of [`Client::generate_qr_code`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QrCodeOptions {
    /// Image size in pixels (`qr_size`); `None` leaves it to the API.
    pub qr_size: Option<u32>,
    /// Label shown by the authenticator app (`label`).
    pub label: Option<String>,
}

/// Optional parameters of [`Client::register_activity`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityOptions {
    /// The end user's IP address (`user_ip`).
    pub user_ip: Option<String>,
    /// Extra data (`data[key]=value`); keys must be non-empty, without `[` or `]`.
    pub data: Vec<(String, String)>,
}

impl Client {
    /// Registers a user (`POST /protected/json/users/new`) and returns the answer; on
    /// success [`Response::user_id`] is the Authy id. Creation is idempotent on
    /// (country code, cellphone). **Blocks.**
    ///
    /// `email`, `cellphone` and the country code are sent as given (any format the API
    /// reads: `(555) 867-5309`, `+1 555-867-5309`…); the API says whether it takes them
    /// (400 `60027` "User was not valid" with the field errors). Refused before any I/O
    /// only with control characters or when too long (crate docs of `validation`).
    pub fn create_user(
        &self,
        email: &str,
        cellphone: &str,
        options: &CreateUserOptions,
    ) -> Result<Response, Error> {
        validation::text("email", email)?;
        validation::text("cellphone", cellphone)?;
        let cc = options.country_code.as_deref().unwrap_or("1");
        validation::text("country code", cc)?;
        let mut user = Params::new();
        user.set("email", email)
            .set("cellphone", cellphone)
            .set("country_code", cc);
        let mut params = Params::new();
        params.set_map("user", user);
        if let Some(send) = options.send_install_link_via_sms {
            params.set("send_install_link_via_sms", bool_str(send));
        }
        self.call(&endpoints::CREATE_USER, &[], &params)
    }

    /// The status of a user (`GET /protected/json/users/{id}/status`): confirmed,
    /// registered, masked phone number, devices. **Blocks.**
    pub fn user_status(&self, authy_id: &str) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        self.call(&endpoints::USER_STATUS, &[authy_id], &Params::new())
    }

    /// Removes a user from the application (`POST /protected/json/users/{id}/remove`, the
    /// current documented path). **Blocks.**
    pub fn delete_user(&self, authy_id: &str) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        self.call(&endpoints::DELETE_USER, &[authy_id], &Params::new())
    }

    /// Changes a user's e-mail address (`POST /protected/json/users/{id}/update`).
    /// **Blocks.**
    pub fn update_user_email(&self, authy_id: &str, email: &str) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        validation::text("email", email)?;
        let params = Params::new().with("email", email);
        self.call(&endpoints::UPDATE_USER_EMAIL, &[authy_id], &params)
    }

    /// Sends a token by e-mail (`POST /protected/json/email/{id}`). **Blocks.**
    pub fn request_email(&self, authy_id: &str) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        self.call(&endpoints::REQUEST_EMAIL, &[authy_id], &Params::new())
    }

    /// Records a user activity (`POST /protected/json/users/{id}/register_activity`);
    /// `activity_type` is `password_reset`, `banned`, `unbanned` or `cookie_login` (the API
    /// answers `60029` for others).
    /// **Blocks.**
    pub fn register_activity(
        &self,
        authy_id: &str,
        activity_type: &str,
        options: &ActivityOptions,
    ) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        validation::text("activity type", activity_type)?;
        let mut params = Params::new().with("type", activity_type);
        if let Some(ip) = &options.user_ip {
            validation::text("user ip", ip)?;
            params.set("user_ip", ip.as_str());
        }
        if !options.data.is_empty() {
            params.set_map("data", validation::detail_map("data", &options.data)?);
        }
        self.call(&endpoints::REGISTER_ACTIVITY, &[authy_id], &params)
    }

    /// Generates a QR code for third-party authenticator apps
    /// (`POST /protected/json/users/{id}/secret`); the image URL is
    /// [`Response::qr_code`]. **Blocks.**
    pub fn generate_qr_code(
        &self,
        authy_id: &str,
        options: &QrCodeOptions,
    ) -> Result<Response, Error> {
        validation::authy_id(authy_id)?;
        let mut params = Params::new();
        if let Some(size) = options.qr_size {
            params.set("qr_size", size.to_string());
        }
        if let Some(label) = &options.label {
            validation::text("QR code label", label)?;
            params.set("label", label.as_str());
        }
        self.call(&endpoints::GENERATE_QR_CODE, &[authy_id], &params)
    }

    /// The no-PII registration status of a user identified by your own id
    /// (`GET /protected/json/registrations/status?custom_user_id=...`). **Blocks.**
    pub fn registration_status(&self, custom_user_id: &str) -> Result<Response, Error> {
        validation::text("custom user id", custom_user_id)?;
        let params = Params::new().with("custom_user_id", custom_user_id);
        self.call(&endpoints::REGISTRATION_STATUS, &[], &params)
    }
}
