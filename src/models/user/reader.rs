//! Users read straight from a response's text, without serde's derive: the SDK's most frequent and largest
//! responses (pages of users, logins) are mostly keys, `null`s and short strings, and serde_json spends most of
//! its time on the machinery around them. This reader expects the fields in the order the `UserFields` fragment
//! selects them (a GraphQL server answers in that order), so it usually finds a key's field with one comparison.
//!
//! It gives up (`None`) on anything outside that plain shape: an escaped string, an unknown or repeated key, a
//! value of an unexpected type. The caller then decodes the body with serde (`User`'s derived `Deserialize`),
//! which stays the reference: tests check that both give the same users.

use serde::Deserialize;

use super::{Identity, User, UserStatus, list_skipping_nulls};
use crate::models::udf::{CustomData, deserialize_custom_data};
use crate::page::{RESERVED, WirePage};
use crate::secret::{AccessToken, Secret};
use crate::transport::JsonReader;

/// Declares the fields of `User` with the JSON name and the reader of each, in the order of the `UserFields`
/// fragment. `blank_user` names every field, so a field added to `User` and not here does not compile.
macro_rules! user_fields {
    ($($name:literal => $field:ident: $read:expr,)+) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Field {
            $($field,)+
        }

        /// Each field's key as it comes in the text, `"name":`, and the field.
        const FIELDS: &[(&[u8], Field)] = &[$((concat!("\"", $name, "\":").as_bytes(), Field::$field),)+];

        /// Each field as a `null` member followed by another, `"name":null,`, the way most fields come.
        const NULL_MEMBERS: &[(&[u8], Field)] = &[$((concat!("\"", $name, "\":null,").as_bytes(), Field::$field),)+];

        fn field_named(name: &str) -> Option<Field> {
            match name {
                $($name => Some(Field::$field),)+
                _ => None,
            }
        }

        fn read_field(user: &mut User, field: Field, reader: &mut JsonReader<'_>) -> Option<()> {
            match field {
                $(Field::$field => user.$field = $read(reader)?,)+
            }
            Some(())
        }

        fn blank_user() -> User {
            User { $($field: Default::default(),)+ }
        }
    };
}

user_fields! {
    "id" => id: JsonReader::string,
    "arn" => arn: JsonReader::string,
    "status" => status: status,
    "userPoolId" => user_pool_id: JsonReader::string,
    "username" => username: text,
    "email" => email: text,
    "emailVerified" => email_verified: flag,
    "phone" => phone: text,
    "phoneVerified" => phone_verified: flag,
    "phoneCountryCode" => phone_country_code: text,
    "unionid" => unionid: text,
    "openid" => openid: text,
    "identities" => identities: identities,
    "nickname" => nickname: text,
    "registerSource" => register_source: strings,
    "photo" => photo: text,
    "oauth" => oauth: text,
    "token" => token: token,
    "tokenExpiredAt" => token_expired_at: text,
    "loginsCount" => logins_count: integer,
    "lastLogin" => last_login: text,
    "lastIP" => last_ip: text,
    "signedUp" => signed_up: text,
    "blocked" => blocked: flag,
    "isDeleted" => is_deleted: flag,
    "device" => device: text,
    "browser" => browser: text,
    "company" => company: text,
    "name" => name: text,
    "givenName" => given_name: text,
    "familyName" => family_name: text,
    "middleName" => middle_name: text,
    "profile" => profile: text,
    "preferredUsername" => preferred_username: text,
    "website" => website: text,
    "gender" => gender: text,
    "birthdate" => birthdate: text,
    "zoneinfo" => zoneinfo: text,
    "locale" => locale: text,
    "address" => address: text,
    "formatted" => formatted: text,
    "streetAddress" => street_address: text,
    "locality" => locality: text,
    "region" => region: text,
    "postalCode" => postal_code: text,
    "city" => city: text,
    "province" => province: text,
    "country" => country: text,
    "createdAt" => created_at: text,
    "updatedAt" => updated_at: text,
    "externalId" => external_id: text,
    "newlyCreated" => newly_created: flag,
    "expiredAt" => expired_at: text,
    "directManagement" => direct_management: text,
    "mainDepartmentId" => main_department_id: text,
    "mainDepartmentCode" => main_department_code: text,
    "customData" => custom_data: custom_data,
    "password" => password: secret,
}

// Which fields a user has set is one bit each.
const _: () = assert!(FIELDS.len() <= 64);

/// The fields serde refuses to read from `null`.
const NEVER_NULL: u64 = 1 << (Field::id as u32) | 1 << (Field::arn as u32) | 1 << (Field::user_pool_id as u32);

/// One user object.
pub(crate) fn read_user(reader: &mut JsonReader<'_>) -> Option<User> {
    let mut user = blank_user();
    read_user_into(reader, &mut user)?;
    Some(user)
}

/// A user object or `null`.
pub(crate) fn read_optional_user(reader: &mut JsonReader<'_>) -> Option<Option<User>> {
    reader.nullable(read_user)
}

/// A page `{totalCount, list}` of users.
pub(crate) fn read_user_page(reader: &mut JsonReader<'_>) -> Option<WirePage<User>> {
    let mut page = WirePage::empty();
    let (mut total_read, mut list_read) = (false, false);
    let mut more = reader.open(b'{', b'}')?;
    while more {
        match reader.key()? {
            "totalCount" if !total_read => {
                page.total_count = reader.u64()?;
                total_read = true;
            }
            "list" if !list_read => {
                page.list = read_users(reader)?;
                list_read = true;
            }
            _ => return None,
        }
        more = reader.next_member()?;
    }
    Some(page)
}

fn read_users(reader: &mut JsonReader<'_>) -> Option<Vec<User>> {
    let mut users = Vec::with_capacity(RESERVED);
    let mut more = reader.open(b'[', b']')?;
    while more {
        // Read in place: a `User` is large, and moving each one into the list would copy it.
        users.push(blank_user());
        read_user_into(reader, users.last_mut()?)?;
        more = reader.next_element()?;
    }
    Some(users)
}

fn read_user_into(reader: &mut JsonReader<'_>, user: &mut User) -> Option<()> {
    let mut seen = 0u64;
    let mut expected = 0;
    let mut more = reader.open(b'{', b'}')?;
    while more {
        // Most fields are null: the expected one as `"name":null,` is taken in one comparison, and leaves the field
        // as `blank_user` made it. The comma says another member follows.
        if let Some(&(member, field)) = NULL_MEMBERS.get(expected)
            && reader.key_is(member)
        {
            let bit = 1u64 << (field as u32);
            if seen & bit != 0 || bit & NEVER_NULL != 0 {
                return None;
            }
            seen |= bit;
            expected += 1;
            continue;
        }
        let field = match FIELDS.get(expected) {
            Some(&(key, field)) if reader.key_is(key) => field,
            _ => field_named(reader.key()?)?,
        };
        let bit = 1u64 << (field as u32);
        if seen & bit != 0 {
            return None;
        }
        seen |= bit;
        // Most fields are null, which leaves them as `blank_user` made them.
        if !reader.null() {
            read_field(user, field, reader)?;
        } else if bit & NEVER_NULL != 0 {
            return None;
        }
        expected = field as usize + 1;
        more = reader.next_member()?;
    }
    // `id` is the one field serde requires.
    (seen & (1 << (Field::id as u32)) != 0).then_some(())
}

// The readers of single fields never see `null`: `read_user_into` takes it first.

fn text(reader: &mut JsonReader<'_>) -> Option<Option<String>> {
    reader.string().map(Some)
}

fn flag(reader: &mut JsonReader<'_>) -> Option<Option<bool>> {
    reader.bool().map(Some)
}

fn integer(reader: &mut JsonReader<'_>) -> Option<Option<i64>> {
    reader.i64().map(Some)
}

fn status(reader: &mut JsonReader<'_>) -> Option<Option<UserStatus>> {
    reader.str().map(|text| Some(UserStatus::from(text)))
}

fn token(reader: &mut JsonReader<'_>) -> Option<Option<AccessToken>> {
    reader.str().map(|text| Some(AccessToken::from(text)))
}

fn secret(reader: &mut JsonReader<'_>) -> Option<Option<Secret>> {
    reader.str().map(|text| Some(Secret::from(text)))
}

/// A list of strings; `null` elements are skipped, as `list_skipping_nulls` does.
fn strings(reader: &mut JsonReader<'_>) -> Option<Vec<String>> {
    let mut list = Vec::new();
    if !reader.open(b'[', b']')? {
        return Some(list);
    }
    loop {
        if let Some(item) = reader.nullable(JsonReader::string)? {
            list.push(item);
        }
        if !reader.next_element()? {
            return Some(list);
        }
    }
}

/// Identities are usually none; a user that has some gets them from serde, through the same function as the
/// derived `Deserialize`.
fn identities(reader: &mut JsonReader<'_>) -> Option<Vec<Identity>> {
    #[derive(Deserialize)]
    struct Identities(#[serde(deserialize_with = "list_skipping_nulls")] Vec<Identity>);

    if reader.empty_array() {
        return Some(Vec::new());
    }
    reader.serde().map(|Identities(list)| list)
}

fn custom_data(reader: &mut JsonReader<'_>) -> Option<Option<CustomData>> {
    #[derive(Deserialize)]
    struct Wire(#[serde(deserialize_with = "deserialize_custom_data")] Option<CustomData>);

    reader.serde().map(|Wire(data)| data)
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;
    use crate::transport::{RawResponse, RootField, decode_response, root_field};

    /// The names of `FIELDS`, as JSON names.
    fn names() -> Vec<&'static str> {
        FIELDS
            .iter()
            .map(|(key, _)| std::str::from_utf8(key).unwrap().trim_start_matches('"').trim_end_matches("\":"))
            .collect()
    }

    #[test]
    fn the_fields_are_expected_in_the_order_the_fragment_selects_them() {
        let selected: Vec<&str> = include_str!("../../graphql/fragments/user.graphql")
            .lines()
            .filter_map(|line| line.strip_prefix("  ").filter(|field| !field.starts_with([' ', '}'])))
            .filter_map(|field| field.split_whitespace().next())
            .collect();
        let names = names();
        assert_eq!(names[..selected.len()], selected[..], "FIELDS starts with the fragment's fields, in its order");
        assert_eq!(names[selected.len()..], ["password"], "and has the one field the SDK never selects after them");
    }

    /// What serde makes of `text`, the way the SDK decodes a response when the reader gives up.
    fn with_serde<T: serde::de::DeserializeOwned>(text: &str) -> crate::error::Result<T> {
        let raw = RawResponse {
            status: reqwest::StatusCode::OK,
            retry_after: None,
            body: bytes::Bytes::copy_from_slice(text.as_bytes()),
        };
        decode_response(&raw).map(|RootField(value)| value)
    }

    /// Everything a user holds, secrets included (their `Debug` is redacted).
    fn everything(user: &User) -> String {
        let identities: Vec<_> = user
            .identities
            .iter()
            .map(|i| {
                (i.access_token.as_ref().map(AccessToken::expose), i.refresh_token.as_ref().map(AccessToken::expose))
            })
            .collect();
        format!(
            "{user:?} token={:?} password={:?} identities={identities:?}",
            user.token.as_ref().map(AccessToken::expose),
            user.password.as_ref().map(Secret::expose)
        )
    }

    fn same_page(direct: &WirePage<User>, serde: &WirePage<User>) -> bool {
        direct.total_count == serde.total_count
            && direct.list.len() == serde.list.len()
            && direct.list.iter().zip(&serde.list).all(|(a, b)| everything(a) == everything(b))
    }

    /// A JSON value for `name` of the type `User` gives it; unless `plain`, now and then an escaped string (which
    /// serde reads and the reader leaves to it) or a value of another type (which serde refuses, mostly).
    fn value(rng: &mut StdRng, name: &str, plain: bool) -> String {
        if !plain && rng.gen_ratio(1, 60) {
            let escaped = [r#""esc\"aped""#, r#""\u00e9""#, r#""Activated\n""#, r#""a\\b""#];
            return escaped[rng.gen_range(0..escaped.len())].to_owned();
        }
        if !plain && rng.gen_ratio(1, 300) {
            let odd = ["1.5", "1e2", "-0", "\"\"", "true", "[]", "{}", "01", "\"x\"", "-", "nul", "[1]"];
            return odd[rng.gen_range(0..odd.len())].to_owned();
        }
        let string = |rng: &mut StdRng| {
            let texts = ["ada", "", "Ada Lovelace", "é 中 🙂", "2024-05-01T00:00:00.000Z", "a/b:c", "{not json}"];
            serde_json::to_string(texts[rng.gen_range(0..texts.len())]).unwrap()
        };
        match name {
            "emailVerified" | "phoneVerified" | "blocked" | "isDeleted" | "newlyCreated" => {
                (if rng.gen_bool(0.5) { "true" } else { "false" }).to_owned()
            }
            "loginsCount" => {
                let numbers = ["0", "7", "-3", "9223372036854775807", "-9223372036854775808", "42"];
                numbers[rng.gen_range(0..numbers.len())].to_owned()
            }
            "status" => {
                let statuses = [r#""Activated""#, r#""Suspended""#, r#""Archived""#, r#""SomethingNew""#];
                statuses[rng.gen_range(0..statuses.len())].to_owned()
            }
            "registerSource" => {
                let lists = ["[]", r#"["import:manual"]"#, r#"["a", null, "b"]"#, "[null]", r#"[ "x" ,"y" ]"#];
                lists[rng.gen_range(0..lists.len())].to_owned()
            }
            "identities" => {
                let lists = [
                    "[]",
                    "[ ]",
                    r#"[{"openid":"o","userIdInIdp":"u","provider":"github","isSocial":true,"accessToken":"at"}]"#,
                    r#"[null, {"provider":"wechat","refreshToken":"rt","type":"social"}]"#,
                ];
                lists[rng.gen_range(0..lists.len())].to_owned()
            }
            "customData" => {
                let lists = ["[]", r#"[{"key":"age","dataType":"NUMBER","value":"18","label":null}]"#, "[null]"];
                lists[rng.gen_range(0..lists.len())].to_owned()
            }
            _ => string(rng),
        }
    }

    /// A user object: fields in the fragment's order, most set or null, some left out; unless `plain`, also now
    /// and then moved, repeated, unknown or of another type.
    fn user(rng: &mut StdRng, plain: bool) -> String {
        let mut names = names();
        if !plain && rng.gen_ratio(1, 10) {
            let (a, b) = (rng.gen_range(0..names.len()), rng.gen_range(0..names.len()));
            names.swap(a, b);
        }
        let mut members = Vec::new();
        for name in names {
            let required = name == "id" || (plain && matches!(name, "arn" | "userPoolId"));
            if !required && rng.gen_ratio(1, 10) {
                continue;
            }
            let null = if matches!(name, "id" | "arn" | "userPoolId") {
                !plain && rng.gen_ratio(1, 40)
            } else {
                rng.gen_ratio(1, 3)
            };
            let value = if null { "null".to_owned() } else { value(rng, name, plain) };
            members.push(format!("\"{name}\":{value}"));
            if !plain && rng.gen_ratio(1, 500) {
                members.push(format!("\"{name}\":{value}"));
            }
        }
        if !plain && rng.gen_ratio(1, 20) {
            members.insert(rng.gen_range(0..members.len()), r#""unknownField":1"#.to_owned());
        }
        let separator = if !plain && rng.gen_ratio(1, 5) { " ,\n\t" } else { "," };
        format!("{{{}}}", members.join(separator))
    }

    fn page(rng: &mut StdRng, plain: bool) -> String {
        let users: Vec<String> = (0..rng.gen_range(0..4)).map(|_| user(rng, plain)).collect();
        let total = if !plain && rng.gen_ratio(1, 20) { "null".to_owned() } else { rng.gen_range(0..100).to_string() };
        format!(r#"{{"data":{{"users":{{"totalCount":{total},"list":[{}]}}}}}}"#, users.join(","))
    }

    #[test]
    fn plain_pages_are_read_directly_and_as_serde_reads_them() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..500 {
            let text = page(&mut rng, true);
            let direct = root_field(&text, read_user_page).unwrap_or_else(|| panic!("read directly: {text}"));
            let serde =
                with_serde::<WirePage<User>>(&text).unwrap_or_else(|e| panic!("serde reads it too: {e}\n{text}"));
            assert!(same_page(&direct, &serde), "the same users: {text}");
        }
    }

    #[test]
    fn what_the_reader_accepts_serde_reads_the_same_and_the_rest_it_leaves_to_serde() {
        let mut rng = StdRng::seed_from_u64(11);
        let (mut direct_count, mut serde_only, mut refused) = (0, 0, 0);
        for _ in 0..3000 {
            let text = page(&mut rng, false);
            match (root_field(&text, read_user_page), with_serde::<WirePage<User>>(&text)) {
                (Some(direct), Ok(serde)) => {
                    assert!(same_page(&direct, &serde), "the same users: {text}");
                    direct_count += 1;
                }
                (Some(_), Err(e)) => panic!("the reader accepted what serde refuses ({e}): {text}"),
                (None, Ok(_)) => serde_only += 1,
                (None, Err(_)) => refused += 1,
            }
        }
        // Each path is taken often enough for the comparison to mean something.
        assert!(direct_count > 300 && serde_only > 300 && refused > 300, "{direct_count} {serde_only} {refused}");
    }

    /// Posts `body` to the emulator's GraphQL endpoint as the SDK would, and returns the response text.
    async fn post(emulator: &authing_emulator::Emulator, token: Option<&str>, body: Vec<u8>) -> String {
        let mut request = reqwest::Client::new()
            .post(format!("{}/graphql/v2", emulator.host()))
            .header("content-type", "application/json")
            .header("x-authing-userpool-id", emulator.user_pool_id())
            .header("x-authing-app-id", emulator.app_id())
            .body(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().text().await.unwrap()
    }

    /// The emulator's answers (a page of users, a login) are in the shape the reader reads, so the SDK reads them
    /// directly: a change on either side that sent them to serde shows here.
    #[tokio::test]
    async fn the_emulators_users_and_logins_are_read_directly() {
        let emulator = authing_emulator::Emulator::start().await.unwrap();
        let options = crate::Options::builder()
            .host(emulator.host())
            .user_pool_id(emulator.user_pool_id())
            .secret(emulator.secret())
            .app_id(emulator.app_id())
            .build()
            .unwrap();
        let management = crate::ManagementClient::new(&options).unwrap();
        let ada = crate::models::CreateUserInput::default()
            .username("ada")
            .email("ada@example.com")
            .phone("13800000001")
            .nickname("Ada")
            .company("Analytical Engines")
            .password("Passw0rd!");
        management.users().create(ada).send().await.unwrap();
        let token = management.get_management_token().await.unwrap().access_token;

        let variables = serde_json::json!({ "page": 1, "limit": 10, "withCustomData": false });
        let list = crate::transport::encode_body(&crate::management::USERS, &variables).unwrap();
        let text = post(&emulator, Some(token.expose()), list).await;
        let page = root_field(&text, read_user_page).unwrap_or_else(|| panic!("read directly: {text}"));
        assert!(same_page(&page, &with_serde(&text).unwrap()), "{text}");
        assert_eq!(page.list[0].company.as_deref(), Some("Analytical Engines"));

        let password = management.encrypt_password(&"Passw0rd!".into()).await.unwrap();
        let variables =
            serde_json::json!({ "input": { "username": "ada", "password": password }, "withCustomData": false });
        let login = crate::transport::encode_body(&crate::authentication::LOGIN_BY_USERNAME, &variables).unwrap();
        let text = post(&emulator, None, login).await;
        let user = root_field(&text, read_user).unwrap_or_else(|| panic!("read directly: {text}"));
        assert_eq!(everything(&user), everything(&with_serde(&text).unwrap()), "{text}");
        assert!(user.token.is_some(), "a login carries the user's token");
    }

    #[test]
    fn a_user_without_an_id_with_a_null_id_or_a_repeated_field_is_left_to_serde() {
        for text in [
            r#"{"data":{"user":{}}}"#,
            r#"{"data":{"user":{"username":"ada"}}}"#,
            r#"{"data":{"user":{"id":null}}}"#,
            // A null followed by another member, which the reader takes at once for other fields.
            r#"{"data":{"user":{"id":null,"arn":"a"}}}"#,
            r#"{"data":{"user":{"id":"u1","arn":null,"userPoolId":"p"}}}"#,
            r#"{"data":{"user":{"id":"u1","username":null,"username":null}}}"#,
        ] {
            assert!(root_field(text, read_user).is_none(), "{text}");
        }
        let user = root_field(r#"{"data":{"user":{"id":"u1","arn":"a"}}}"#, read_user).unwrap();
        assert_eq!((user.id.as_str(), user.arn.as_str(), user.user_pool_id.as_str()), ("u1", "a", ""));
        assert_eq!(root_field(r#"{"data":{"findUser":null}}"#, read_optional_user).map(|u| u.is_none()), Some(true));
    }
}
