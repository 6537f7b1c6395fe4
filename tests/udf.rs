//! `management.udf()` and custom data round trips for every data type.

mod common;

use authing::models::{CreateUserInput, UdfDataType, UdfTargetType, UdfValue};
use authing::{AuthingError, ManagementClient};
use serde_json::json;

/// One value of each data type, with the field it goes into.
fn samples() -> Vec<(&'static str, UdfDataType, UdfValue)> {
    vec![
        ("school", UdfDataType::String, UdfValue::from("ucla \"west\" 校区")),
        ("age", UdfDataType::Number, UdfValue::from(36)),
        ("height", UdfDataType::Number, UdfValue::try_from(1.72).unwrap()),
        ("vip", UdfDataType::Boolean, UdfValue::from(false)),
        ("born_iso", UdfDataType::Datetime, UdfValue::datetime("2024-05-09T07:29:33.186123")),
        ("born_ms", UdfDataType::Datetime, UdfValue::datetime_millis(1715239773186)),
        ("profile", UdfDataType::Object, UdfValue::Object(json!({ "langs": ["rust", "go"], "level": 3, "ok": true }))),
    ]
}

async fn define_samples(management: &ManagementClient) {
    for (key, data_type, _) in samples() {
        management.udf().set(UdfTargetType::User, key, data_type, key).send().await.unwrap();
    }
}

#[tokio::test]
async fn each_data_type_round_trips_through_set_udf_value_and_detail() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    define_samples(&management).await;
    let user = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();

    management.users().set_udf_value(&user.id, samples().into_iter().map(|(k, _, v)| (k, v))).await.unwrap();
    let detailed = management.users().detail(&user.id).with_custom_data(true).send().await.unwrap().unwrap();
    let data = detailed.custom_data.unwrap();
    for (key, _, value) in samples() {
        assert_eq!(data.get(key), Some(&value), "{key}");
    }
}

#[tokio::test]
async fn each_data_type_round_trips_through_create() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    define_samples(&management).await;
    let mut builder = management.users().create(CreateUserInput::default().username("ada"));
    for (key, _, value) in samples() {
        builder = builder.custom_data(key, value);
    }
    let user = builder.send().await.unwrap();
    let returned = user.custom_data.expect("created with custom data, returned with it");
    let stored = management.users().get_udf_value(&user.id).await.unwrap();
    for (key, _, value) in samples() {
        assert_eq!(returned.get(key), Some(&value), "{key} as returned by create");
        assert_eq!(stored.get(key), Some(&value), "{key} as stored");
    }
    let listed = management.users().list().with_custom_data(true).send().await.unwrap();
    assert_eq!(listed.items[0].custom_data.as_ref(), Some(&stored));
}

#[tokio::test]
async fn create_with_a_wrongly_typed_value_fails_and_creates_nobody() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    define_samples(&management).await;
    let result =
        management.users().create(CreateUserInput::default().username("ada")).custom_data("age", "old").send().await;
    assert!(matches!(result, Err(AuthingError::Api(_))), "{result:?}");
    assert!(!management.users().exists().username("ada").send().await.unwrap());
}

#[tokio::test]
async fn fields_are_upserted_listed_and_removed() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let udf = management.udf();
    let field = udf.set(UdfTargetType::User, "school", UdfDataType::String, "School").send().await.unwrap();
    assert_eq!(
        (field.key.as_str(), field.data_type.clone(), field.label.as_deref()),
        ("school", UdfDataType::String, Some("School"))
    );
    assert_eq!(field.target_type, UdfTargetType::User);

    let again = udf
        .set(UdfTargetType::User, "school", UdfDataType::String, "University")
        .options(r#"{"choices":["ucla","mit"]}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(again.label.as_deref(), Some("University"));
    assert_eq!(again.options.as_deref(), Some(r#"{"choices":["ucla","mit"]}"#));
    udf.set(UdfTargetType::Role, "level", UdfDataType::Number, "Level").send().await.unwrap();

    let fields = udf.list(UdfTargetType::User).await.unwrap();
    assert_eq!(fields.len(), 1, "the same key is updated, not added");
    assert_eq!(fields[0].label.as_deref(), Some("University"));
    assert_eq!(udf.list(UdfTargetType::Role).await.unwrap().len(), 1);

    let removed = udf.remove(UdfTargetType::User, "school").await.unwrap();
    assert!(removed.is_some_and(|message| message.is_success()), "the server's own message");
    assert!(udf.list(UdfTargetType::User).await.unwrap().is_empty());
}

#[tokio::test]
async fn values_of_any_target_are_set_and_listed() {
    let emulator = common::emulator().await;
    let management = common::management(&emulator);
    let udf = management.udf();
    udf.set(UdfTargetType::User, "age", UdfDataType::Number, "Age").send().await.unwrap();
    udf.set(UdfTargetType::User, "vip", UdfDataType::Boolean, "VIP").send().await.unwrap();
    let user = management.users().create(CreateUserInput::default().username("ada")).send().await.unwrap();

    let all = udf
        .set_udf_value_batch(UdfTargetType::User, &user.id, [("age", 30.into()), ("vip", true.into())])
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let listed = udf.list_udf_value(UdfTargetType::User, &user.id).await.unwrap();
    let age = listed.iter().find(|e| e.key == "age").unwrap();
    assert_eq!((age.value.as_i64(), age.label.as_deref()), (Some(30), Some("Age")));
    assert!(udf.list_udf_value(UdfTargetType::User, "000000000000000000000000").await.unwrap().is_empty());

    let wrong = udf.set_udf_value_batch(UdfTargetType::User, &user.id, [("vip", "yes".into())]).await;
    assert!(matches!(wrong, Err(AuthingError::Api(_))), "{wrong:?}");

    udf.remove(UdfTargetType::User, "age").await.unwrap();
    let left = udf.list_udf_value(UdfTargetType::User, &user.id).await.unwrap();
    assert_eq!(left.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(), ["vip"], "removing a field removes its values");
}
