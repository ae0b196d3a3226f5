//! Every shared fixture case gives its expected exit status and error codes.

use crate::util::{cases, json, run};

#[test]
fn check_json_matches_every_fixture_expectation() {
    for case in cases() {
        let mut args = vec!["check".to_string()];
        args.extend(case.doc_args());
        args.push("--json".into());
        let out = run(&args);
        let doc = json(&out);
        assert_eq!(
            out.status.code(),
            Some(case.expected_exit()),
            "{}: exit status; output {doc}",
            case.name
        );
        assert_eq!(doc["ok"], case.expected_exit() == 0, "{}: ok", case.name);
        let codes: Vec<&str> = doc["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        for want in case.expected_codes() {
            assert!(
                codes.contains(&want.as_str()),
                "{}: {want} missing from {codes:?}",
                case.name
            );
        }
        if case.expected_exit() == 0 {
            assert!(
                codes.is_empty(),
                "{}: errors on a valid case: {codes:?}",
                case.name
            );
        }
        for e in doc["errors"].as_array().unwrap() {
            assert!(
                !e["path"].as_str().unwrap().is_empty(),
                "{}: error without path",
                case.name
            );
            assert!(!e["message"].as_str().unwrap().is_empty());
        }
    }
}
