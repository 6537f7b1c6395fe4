//! `User` as GraphQL serves it, resolved without a future per field.
//!
//! async-graphql resolves an object by boxing one future per selected field and merging the results through a
//! hashed map; with ~60 fields per user that was most of the CPU time of a `users` page or a login. A user's
//! fields are almost all plain values, so [`UserNode`] reads those straight from the [`User`] and leaves only the
//! fields with their own resolvers (`identities`, `customData`, `roles`, `groups`, `authorizedResources`,
//! `departments`) to the derived resolver. The type it registers is the derived `User`, so the schema is unchanged.

use std::borrow::Cow;

use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use async_graphql::resolver_utils::{enum_value, resolve_container_serial};
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ServerError, ServerResult, Value,
};

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
        let mut fields = Vec::new();
        collect_fields(ctx, ctx.item, &mut fields)?;
        // Fields with directives take the general path, which applies them. (The schema has no extensions, whose
        // per-field hooks this path would skip.)
        if fields.iter().any(|field| !field.node.directives.is_empty()) {
            return resolve_container_serial(ctx, &self.0).await;
        }
        let mut object = async_graphql::indexmap::IndexMap::with_capacity(fields.len());
        for field in fields {
            let key = field.node.response_key().node.clone();
            let value = match plain_field(&self.0, field.node.name.node.as_str()) {
                Some(value) => value,
                None => self.0.resolve_field(&ctx.with_field(field)).await?.unwrap_or_default(),
            };
            insert_merged(&mut object, key, value);
        }
        Ok(Value::Object(object))
    }
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

/// The value of a field that is a plain value of the user; `None` for the fields with resolvers of their own.
fn plain_field(user: &User, name: &str) -> Option<Value> {
    let text = |value: &Option<String>| value.as_ref().map_or(Value::Null, |text| Value::String(text.clone()));
    let flag = |value: Option<bool>| value.map_or(Value::Null, Value::Boolean);
    Some(match name {
        "__typename" => Value::String("User".to_owned()),
        "id" => Value::String(user.id.clone()),
        "arn" => Value::String(user.arn.clone()),
        "status" => user.status.map_or(Value::Null, enum_value),
        "userPoolId" => Value::String(user.user_pool_id.clone()),
        "username" => text(&user.username),
        "email" => text(&user.email),
        "emailVerified" => flag(user.email_verified),
        "phone" => text(&user.phone),
        "phoneVerified" => flag(user.phone_verified),
        "unionid" => text(&user.unionid),
        "openid" => text(&user.openid),
        "nickname" => text(&user.nickname),
        "registerSource" => user.register_source.as_ref().map_or(Value::Null, |sources| {
            Value::List(sources.iter().map(|source| Value::String(source.clone())).collect())
        }),
        "photo" => text(&user.photo),
        "password" => text(&user.password),
        "oauth" => text(&user.oauth),
        "token" => text(&user.token),
        "tokenExpiredAt" => text(&user.token_expired_at),
        "loginsCount" => user.logins_count.map_or(Value::Null, |count| Value::Number(count.into())),
        "lastLogin" => text(&user.last_login),
        "lastIP" => text(&user.last_ip),
        "signedUp" => text(&user.signed_up),
        "blocked" => flag(user.blocked),
        "isDeleted" => flag(user.is_deleted),
        "device" => text(&user.device),
        "browser" => text(&user.browser),
        "company" => text(&user.company),
        "name" => text(&user.name),
        "givenName" => text(&user.given_name),
        "familyName" => text(&user.family_name),
        "middleName" => text(&user.middle_name),
        "profile" => text(&user.profile),
        "preferredUsername" => text(&user.preferred_username),
        "website" => text(&user.website),
        "gender" => text(&user.gender),
        "birthdate" => text(&user.birthdate),
        "zoneinfo" => text(&user.zoneinfo),
        "locale" => text(&user.locale),
        "address" => text(&user.address),
        "formatted" => text(&user.formatted),
        "streetAddress" => text(&user.street_address),
        "locality" => text(&user.locality),
        "region" => text(&user.region),
        "postalCode" => text(&user.postal_code),
        "city" => text(&user.city),
        "province" => text(&user.province),
        "country" => text(&user.country),
        "createdAt" => text(&user.created_at),
        "updatedAt" => text(&user.updated_at),
        "externalId" => text(&user.external_id),
        "phoneCountryCode" => text(&user.phone_country_code),
        "newlyCreated" => flag(user.newly_created),
        "expiredAt" => text(&user.expired_at),
        "directManagement" => text(&user.direct_management),
        "mainDepartmentId" => text(&user.main_department_id),
        "mainDepartmentCode" => text(&user.main_department_code),
        _ => return None,
    })
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
