//! What several test files share.

use std::collections::BTreeMap;

/// The parameter values the examples are built with.
pub fn example_params() -> BTreeMap<String, String> {
    [
        ("account_id", "123456789012"),
        (
            "connection_arn",
            "arn:aws:codeconnections:us-east-1:123456789012:connection/0123abcd-0000-4000-8000-000000000000",
        ),
        // 11-cross-account-deploy: the accounts it deploys to, and the key of its artifacts.
        ("staging_account", "111122223333"),
        ("production_account", "444455556666"),
        (
            "artifact_key_arn",
            "arn:aws:kms:us-east-1:123456789012:key/0123abcd-0000-4000-8000-000000000001",
        ),
        // 13-cruddur-checks-pipelines: the tag of the cruddur image it builds with.
        ("cruddur_version", "0.1.0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}
