//! `User` as GraphQL serves it, written as JSON text without a future or a value per field.
//!
//! async-graphql resolves an object by boxing one future per selected field and merging the results through a
//! hashed map of values, which is then serialized; with ~60 fields per user that was most of the CPU time of a
//! `users` page or a login. A user's fields are almost all plain values, so [`UserNode`] and [`UserNodes`] (a
//! list) look at the selection once, then write each user's plain fields straight from the [`User`] into JSON text
//! (see `json::raw`), and leave only the fields with their own resolvers (`identities`, `customData`, `roles`,
//! `groups`, `authorizedResources`, `departments`) to the derived resolver. The type they register is the derived
//! `User`, so the schema is unchanged. A selection that names a response key twice takes a map of values instead,
//! which merges the two. `@skip` and `@include` are applied by async-graphql before execution; a field that still
//! carries a directive (a custom one) sends the whole user down the general path, which applies it.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{enum_value, resolve_container_serial};
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value,
};

use super::json;
use crate::users::User;

/// A [`User`] served through GraphQL.
pub(crate) struct UserNode(pub(crate) User);

impl From<User> for UserNode {
    fn from(user: User) -> Self {
        UserNode(user)
    }
}

impl OutputType for UserNode {
    fn type_name() -> Cow<'static, str> {
        <User as OutputType>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <User as OutputType>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        UserSelection::of(ctx)?.resolve(ctx, &self.0).await
    }
}

/// A list of [`User`]s served through GraphQL, as `Vec<UserNode>` would be, but with the selection looked at
/// once for the whole list and, on the usual path, the whole list written as one JSON text.
pub(crate) struct UserNodes(pub(crate) Vec<Arc<User>>);

impl OutputType for UserNodes {
    fn type_name() -> Cow<'static, str> {
        <Vec<UserNode> as OutputType>::type_name()
    }

    fn qualified_type_name() -> String {
        <Vec<UserNode> as OutputType>::qualified_type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        <Vec<UserNode> as OutputType>::create_type_info(registry)
    }

    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, _field: &Positioned<Field>) -> ServerResult<Value> {
        let selection = UserSelection::of(ctx)?;
        if selection.path != Path::Text {
            let mut list = Vec::with_capacity(self.0.len());
            for (index, user) in self.0.iter().enumerate() {
                let ctx = ctx.with_index(index);
                list.push(selection.resolve(&ctx, user).await.map_err(|e| ctx.set_error_path(e))?);
            }
            return Ok(Value::List(list));
        }
        let mut text = String::with_capacity(self.0.len() * 24 * selection.fields.len() + 2);
        text.push('[');
        for (index, user) in self.0.iter().enumerate() {
            if index > 0 {
                text.push(',');
            }
            let ctx = ctx.with_index(index);
            selection.write(&ctx, user, &mut text).await.map_err(|e| ctx.set_error_path(e))?;
        }
        text.push(']');
        Ok(json::raw(text))
    }
}

/// How users are served for one selection.
#[derive(PartialEq)]
enum Path {
    /// A field with a directive left (not `@skip`/`@include`, applied before): async-graphql's resolver, which
    /// applies it. (The schema's one extension, `validation::Validated`, has no per-field hooks for the other paths
    /// to skip.)
    General,
    /// A response key named twice: a map of values, which merges them.
    Merged,
    /// Every other selection: JSON text written at once, with no map of values to build, hash and take apart.
    Text,
}

/// The fields selected on users, and the path that serves them.
struct UserSelection<'a> {
    fields: Vec<SelectedField<'a>>,
    /// What comes before each field's value in a user's text, one after the other: `"key":,"key":...`.
    members: String,
    path: Path,
}

struct SelectedField<'a> {
    field: &'a Positioned<Field>,
    /// The field's plain field, if it is one.
    plain: Option<PlainField>,
    /// Where `,"responseKey":` (no comma for the first field) is in `members`.
    member: Range<usize>,
}

impl<'a> UserSelection<'a> {
    fn of(ctx: &ContextSelectionSet<'a>) -> ServerResult<Self> {
        let mut fields = Vec::new();
        collect_fields(ctx, ctx.item, &mut fields)?;
        let path = if fields.iter().any(|field| !field.node.directives.is_empty()) {
            Path::General
        } else if has_repeated_keys(&fields) {
            Path::Merged
        } else {
            Path::Text
        };
        let mut members = String::with_capacity(24 * fields.len());
        let fields = fields
            .into_iter()
            .enumerate()
            .map(|(i, field)| {
                let start = members.len();
                if i > 0 {
                    members.push(',');
                }
                json::write_document_name(&mut members, &field.node.response_key().node);
                members.push(':');
                SelectedField { field, plain: PlainField::named(&field.node.name.node), member: start..members.len() }
            })
            .collect();
        Ok(UserSelection { fields, members, path })
    }

    /// One user as a value.
    async fn resolve(&self, ctx: &ContextSelectionSet<'_>, user: &User) -> ServerResult<Value> {
        match self.path {
            Path::General => resolve_container_serial(ctx, user).await,
            Path::Merged => {
                let mut object = async_graphql::indexmap::IndexMap::with_capacity(self.fields.len());
                for &SelectedField { field, plain, .. } in &self.fields {
                    let key = field.node.response_key().node.clone();
                    let value = match plain {
                        Some(plain) => plain.of(user).into_value(),
                        None => user.resolve_field(&ctx.with_field(field)).await?.unwrap_or_default(),
                    };
                    insert_merged(&mut object, key, value);
                }
                Ok(Value::Object(object))
            }
            Path::Text => {
                let mut text = String::with_capacity(24 * self.fields.len());
                self.write(ctx, user, &mut text).await?;
                Ok(json::raw(text))
            }
        }
    }

    /// One user as JSON text, on [`Path::Text`].
    async fn write(&self, ctx: &ContextSelectionSet<'_>, user: &User, text: &mut String) -> ServerResult<()> {
        text.push('{');
        for SelectedField { field, plain, member } in &self.fields {
            text.push_str(self.members.get(member.clone()).unwrap_or_default());
            match *plain {
                Some(plain) => plain.of(user).write(text),
                None => {
                    let value = user.resolve_field(&ctx.with_field(field)).await?.unwrap_or_default();
                    json::write_value(text, &value)
                }
            }
            .map_err(unwritable)?;
        }
        text.push('}');
        Ok(())
    }
}

/// Whether two fields have the same response key. Keys are compared by a hash first: sorting the strings
/// themselves cost more than writing the user.
fn has_repeated_keys(fields: &[&Positioned<Field>]) -> bool {
    fn key<'a>(field: &&'a Positioned<Field>) -> &'a str {
        field.node.response_key().node.as_str()
    }
    let mut hashes: Vec<u64> = fields.iter().map(|field| fnv1a(key(field))).collect();
    hashes.sort_unstable();
    if hashes.windows(2).all(|pair| pair[0] != pair[1]) {
        return false;
    }
    let mut keys: Vec<&str> = fields.iter().map(key).collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair[0] == pair[1])
}

/// The 64-bit FNV-1a hash of `text`.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

fn unwritable(error: serde_json::Error) -> ServerError {
    ServerError::new(format!("a user could not be written as JSON: {error}"), None)
}

/// The fields selected on a user, fragments expanded, in the order of the document.
fn collect_fields<'a>(
    ctx: &ContextSelectionSet<'a>,
    set: &'a Positioned<SelectionSet>,
    fields: &mut Vec<&'a Positioned<Field>>,
) -> ServerResult<()> {
    for selection in &set.node.items {
        let (condition, selections) = match &selection.node {
            Selection::Field(field) => {
                fields.push(field);
                continue;
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                let fragment = ctx
                    .query_env
                    .fragments
                    .get(name)
                    .ok_or_else(|| ServerError::new(format!(r#"Unknown fragment "{name}"."#), Some(spread.pos)))?;
                (Some(fragment.node.type_condition.node.on.node.as_str()), &fragment.node.selection_set)
            }
            Selection::InlineFragment(fragment) => (
                fragment.node.type_condition.as_ref().map(|condition| condition.node.on.node.as_str()),
                &fragment.node.selection_set,
            ),
        };
        if condition.is_none_or(|condition| applies_to_user(ctx, condition)) {
            collect_fields(ctx, selections, fields)?;
        }
    }
    Ok(())
}

fn applies_to_user(ctx: &ContextSelectionSet<'_>, condition: &str) -> bool {
    condition == "User"
        || ctx.schema_env.registry.implements.get("User").is_some_and(|interfaces| interfaces.contains(condition))
}

/// A field that is a plain value of the user, borrowed from it.
enum Plain<'a> {
    Text(Option<&'a str>),
    Flag(Option<bool>),
    Texts(Option<&'a [String]>),
    Other(Value),
}

impl Plain<'_> {
    fn into_value(self) -> Value {
        let text = |text: &str| Value::String(text.to_owned());
        match self {
            Plain::Text(value) => value.map_or(Value::Null, text),
            Plain::Flag(value) => value.map_or(Value::Null, Value::Boolean),
            Plain::Texts(value) => {
                value.map_or(Value::Null, |texts| Value::List(texts.iter().map(|t| text(t)).collect()))
            }
            Plain::Other(value) => value,
        }
    }

    fn write(&self, out: &mut String) -> serde_json::Result<()> {
        match self {
            Plain::Text(Some(text)) => json::write_str(out, text)?,
            Plain::Flag(Some(flag)) => out.push_str(if *flag { "true" } else { "false" }),
            Plain::Texts(Some(texts)) => {
                out.push('[');
                for (i, text) in texts.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    json::write_str(out, text)?;
                }
                out.push(']');
            }
            Plain::Text(None) | Plain::Flag(None) | Plain::Texts(None) => out.push_str("null"),
            Plain::Other(value) => json::write_value(out, value)?,
        }
        Ok(())
    }
}

/// Declares the plain fields of a user: each one's GraphQL name, a variant of [`PlainField`] and its value read
/// from `$user`, so that a selection finds each field by name once and each user is then read by variant.
macro_rules! plain_fields {
    ($user:ident; $($name:literal => $variant:ident: $value:expr,)+) => {
        /// A field that is a plain value of the user.
        #[derive(Clone, Copy)]
        enum PlainField {
            $($variant,)+
        }

        impl PlainField {
            /// The plain field of this name; `None` for the fields with resolvers of their own.
            fn named(name: &str) -> Option<PlainField> {
                match name {
                    $($name => Some(PlainField::$variant),)+
                    _ => None,
                }
            }

            fn of(self, $user: &User) -> Plain<'_> {
                match self {
                    $(PlainField::$variant => $value,)+
                }
            }
        }
    };
}

fn text(value: &Option<String>) -> Plain<'_> {
    Plain::Text(value.as_deref())
}

plain_fields! { user;
    "__typename" => Typename: Plain::Text(Some("User")),
    "id" => Id: Plain::Text(Some(&user.id)),
    "arn" => Arn: Plain::Text(Some(&user.arn)),
    "status" => Status: Plain::Other(user.status.map_or(Value::Null, enum_value)),
    "userPoolId" => UserPoolId: Plain::Text(Some(&user.user_pool_id)),
    "username" => Username: text(&user.username),
    "email" => Email: text(&user.email),
    "emailVerified" => EmailVerified: Plain::Flag(user.email_verified),
    "phone" => Phone: text(&user.phone),
    "phoneVerified" => PhoneVerified: Plain::Flag(user.phone_verified),
    "unionid" => Unionid: text(&user.unionid),
    "openid" => Openid: text(&user.openid),
    "nickname" => Nickname: text(&user.nickname),
    "registerSource" => RegisterSource: Plain::Texts(user.register_source.as_deref()),
    "photo" => Photo: text(&user.photo),
    "password" => Password: text(&user.password),
    "oauth" => Oauth: text(&user.oauth),
    "token" => Token: text(&user.token),
    "tokenExpiredAt" => TokenExpiredAt: text(&user.token_expired_at),
    "loginsCount" => LoginsCount: Plain::Other(user.logins_count.map_or(Value::Null, |count| Value::Number(count.into()))),
    "lastLogin" => LastLogin: text(&user.last_login),
    "lastIP" => LastIP: text(&user.last_ip),
    "signedUp" => SignedUp: text(&user.signed_up),
    "blocked" => Blocked: Plain::Flag(user.blocked),
    "isDeleted" => IsDeleted: Plain::Flag(user.is_deleted),
    "device" => Device: text(&user.device),
    "browser" => Browser: text(&user.browser),
    "company" => Company: text(&user.company),
    "name" => Name: text(&user.name),
    "givenName" => GivenName: text(&user.given_name),
    "familyName" => FamilyName: text(&user.family_name),
    "middleName" => MiddleName: text(&user.middle_name),
    "profile" => Profile: text(&user.profile),
    "preferredUsername" => PreferredUsername: text(&user.preferred_username),
    "website" => Website: text(&user.website),
    "gender" => Gender: text(&user.gender),
    "birthdate" => Birthdate: text(&user.birthdate),
    "zoneinfo" => Zoneinfo: text(&user.zoneinfo),
    "locale" => Locale: text(&user.locale),
    "address" => Address: text(&user.address),
    "formatted" => Formatted: text(&user.formatted),
    "streetAddress" => StreetAddress: text(&user.street_address),
    "locality" => Locality: text(&user.locality),
    "region" => Region: text(&user.region),
    "postalCode" => PostalCode: text(&user.postal_code),
    "city" => City: text(&user.city),
    "province" => Province: text(&user.province),
    "country" => Country: text(&user.country),
    "createdAt" => CreatedAt: text(&user.created_at),
    "updatedAt" => UpdatedAt: text(&user.updated_at),
    "externalId" => ExternalId: text(&user.external_id),
    "phoneCountryCode" => PhoneCountryCode: text(&user.phone_country_code),
    "newlyCreated" => NewlyCreated: Plain::Flag(user.newly_created),
    "expiredAt" => ExpiredAt: text(&user.expired_at),
    "directManagement" => DirectManagement: text(&user.direct_management),
    "mainDepartmentId" => MainDepartmentId: text(&user.main_department_id),
    "mainDepartmentCode" => MainDepartmentCode: text(&user.main_department_code),
}

/// Adds a field's value under its response key; a key selected twice keeps its first value, objects (and the
/// objects of lists) selected twice are merged, as GraphQL's field merging requires.
fn insert_merged(object: &mut async_graphql::indexmap::IndexMap<Name, Value>, key: Name, value: Value) {
    use async_graphql::indexmap::map::Entry;
    let previous = match object.entry(key) {
        Entry::Vacant(vacant) => {
            vacant.insert(value);
            return;
        }
        Entry::Occupied(occupied) => occupied.into_mut(),
    };
    match (previous, value) {
        (Value::Object(previous), Value::Object(value)) => {
            for (key, value) in value {
                insert_merged(previous, key, value);
            }
        }
        (Value::List(previous), Value::List(value)) => {
            for (previous, value) in previous.iter_mut().zip(value) {
                if let (Value::Object(previous), Value::Object(value)) = (previous, value) {
                    for (key, value) in value {
                        insert_merged(previous, key, value);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema};

    use super::*;
    use crate::users::{Identity, UserStatus};

    /// The same user served twice: by the derived resolver and by [`UserNode`].
    struct Root(User);

    #[Object]
    impl Root {
        async fn derived(&self) -> &User {
            &self.0
        }

        async fn fast(&self) -> UserNode {
            UserNode(self.0.clone())
        }

        async fn derived_list(&self) -> Vec<&User> {
            vec![&self.0, &self.0]
        }

        async fn fast_list(&self) -> UserNodes {
            UserNodes(vec![Arc::new(self.0.clone()), Arc::new(self.0.clone())])
        }
    }

    /// A user with every plain field set to a value of its own.
    fn full_user() -> User {
        let mut user = User::new("pool", "user-id".to_owned(), "2024-05-01T00:00:00.000Z".to_owned());
        macro_rules! texts {
            ($($field:ident),*) => { $( user.$field = Some(stringify!($field).to_owned()); )* };
        }
        texts!(
            username,
            email,
            phone,
            unionid,
            openid,
            nickname,
            photo,
            password,
            oauth,
            token,
            token_expired_at,
            last_login,
            last_ip,
            signed_up,
            device,
            browser,
            company,
            name,
            given_name,
            family_name,
            middle_name,
            profile,
            preferred_username,
            website,
            gender,
            birthdate,
            zoneinfo,
            locale,
            address,
            formatted,
            street_address,
            locality,
            region,
            postal_code,
            city,
            province,
            country,
            updated_at,
            external_id,
            phone_country_code,
            expired_at,
            direct_management,
            main_department_id,
            main_department_code
        );
        (user.email_verified, user.phone_verified, user.blocked) = (Some(true), Some(false), Some(true));
        (user.is_deleted, user.newly_created, user.logins_count) = (Some(false), Some(true), Some(42));
        user.status = Some(UserStatus::Suspended);
        user.register_source = Some(vec!["import:manual".to_owned(), "basic:email".to_owned()]);
        let identity = Identity { provider: Some("github".to_owned()), is_social: Some(true), ..Identity::default() };
        user.identities = Some(vec![Some(identity), None]);
        user
    }

    /// Every field of `User` without state behind it, each object field with a selection of its own.
    async fn every_plain_field(schema: &Schema<Root, EmptyMutation, EmptySubscription>) -> String {
        let introspection =
            r#"{ __type(name: "User") { fields { name type { kind ofType { kind ofType { kind } } } } } }"#;
        let data = schema.execute(introspection).await.data.into_json().unwrap();
        let mut fields = vec!["__typename".to_owned()];
        for field in data["__type"]["fields"].as_array().unwrap() {
            let mut ty = &field["type"];
            while !ty["ofType"].is_null() {
                ty = &ty["ofType"];
            }
            match (field["name"].as_str().unwrap(), ty["kind"].as_str().unwrap()) {
                ("identities", _) => fields.push("identities { provider isSocial openid }".to_owned()),
                (_, "OBJECT") => {} // resolved from the emulator's state: not plain
                (name, _) => fields.push(name.to_owned()),
            }
        }
        assert!(fields.len() > 50, "{fields:?}");
        fields.join(" ")
    }

    #[tokio::test]
    async fn the_fast_path_serves_every_plain_field_as_the_derived_resolver_does() {
        let schema = Schema::new(Root(full_user()), EmptyMutation, EmptySubscription);
        let fields = every_plain_field(&schema).await;
        // `fast` is written as text; `merged`, with a field selected twice, goes through a map of values.
        let query = format!(
            "{{ derived {{ {fields} }} fast {{ {fields} }} merged: fast {{ {fields} id }} \
             derivedList {{ {fields} }} fastList {{ {fields} }} mergedList: fastList {{ {fields} id }} }}"
        );
        let response = schema.execute(query).await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        let Value::Object(data) = &response.data else { panic!("{:?}", response.data) };
        // The same bytes, field order included; the derived user as serde_json writes it, the fast ones as the
        // handler writes them.
        let derived = serde_json::to_string(&data["derived"]).unwrap();
        let written = |key: &str| {
            let mut text = String::new();
            json::write_value(&mut text, &data[key]).unwrap();
            text
        };
        assert_eq!(written("fast"), derived);
        assert_eq!(written("merged"), derived);
        let derived_list = serde_json::to_string(&data["derivedList"]).unwrap();
        assert_eq!(written("fastList"), derived_list);
        assert_eq!(written("mergedList"), derived_list);
        assert!(matches!(&data["merged"], Value::Object(user) if user.contains_key("company")), "a map of values");
        let data: serde_json::Value = serde_json::from_slice(&json::answer(&response.data, &[]).unwrap()).unwrap();
        assert_eq!(data["data"]["fast"]["company"], "company");
        assert_eq!(data["data"]["fast"]["status"], "Suspended");
        assert_eq!(data["data"]["fast"]["loginsCount"], 42);
    }
}
