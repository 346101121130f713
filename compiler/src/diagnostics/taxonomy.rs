//! Where each security rule sits in the two lists a security review sorts findings by:
//! OWASP's Top 10 CI/CD Security Risks (CICD-SEC-1 … 10) and MITRE's CWE. Every `S` rule names
//! at least one risk, and a weakness where one fits; the catalog entry of the rule says the
//! same (a test keeps the two in step), and SARIF declares both lists as taxonomies, so
//! code-scanning dashboards group findings by risk.
//!
//! Titles as their owners write them: OWASP's from
//! <https://owasp.org/www-project-top-10-ci-cd-security-risks/> (repository
//! OWASP/www-project-top-10-ci-cd-security-risks, `index.md`); CWE's from
//! <https://cwe.mitre.org/data/definitions/> (one page per id). Which rule goes with which
//! entry is this project's judgement, not theirs. The GUIDs identify the entries in SARIF;
//! each is Python's `uuid.uuid5` of the list's URL (in the URL namespace), then of the entry
//! (`CICD-SEC-4`, `CWE-798`) in that, so anyone can derive them again.

use super::Code;

/// One of OWASP's ten CI/CD risks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Risk {
    pub number: u8,
    pub title: &'static str,
    pub guid: &'static str,
}

impl Risk {
    /// `CICD-SEC-4`, as OWASP's list writes the ids.
    pub fn id(&self) -> String {
        format!("CICD-SEC-{}", self.number)
    }
}

/// A CWE weakness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weakness {
    pub number: u32,
    pub title: &'static str,
    pub guid: &'static str,
}

impl Weakness {
    /// `CWE-798`.
    pub fn id(&self) -> String {
        format!("CWE-{}", self.number)
    }

    pub fn url(&self) -> String {
        format!("https://cwe.mitre.org/data/definitions/{}.html", self.number)
    }
}

pub const OWASP_NAME: &str = "OWASP Top 10 CI/CD Security Risks";
pub const OWASP_URL: &str = "https://owasp.org/www-project-top-10-ci-cd-security-risks/";
pub const OWASP_GUID: &str = "e3e2cc36-d746-55a0-85f4-204fc0125017";
pub const CWE_NAME: &str = "CWE";
pub const CWE_URL: &str = "https://cwe.mitre.org/";
pub const CWE_GUID: &str = "ec480a2c-8267-5d90-affc-401687cd64b0";

pub const RISKS: [Risk; 10] = [
    risk(
        1,
        "Insufficient Flow Control Mechanisms",
        "7d46bcef-d406-58fb-8c31-ee89f54c5023",
    ),
    risk(
        2,
        "Inadequate Identity and Access Management",
        "3078c7af-b806-55a9-9cd9-d8a26bfb4e12",
    ),
    risk(3, "Dependency Chain Abuse", "7440c59b-dfcb-5dfe-80fa-70430c4a9782"),
    risk(
        4,
        "Poisoned Pipeline Execution (PPE)",
        "78e6b23c-f2ad-5dd4-ad04-6a0c85da8c21",
    ),
    risk(
        5,
        "Insufficient PBAC (Pipeline-Based Access Controls)",
        "f04283a0-9214-5884-b8b1-fd13b24406d7",
    ),
    risk(
        6,
        "Insufficient Credential Hygiene",
        "1a7e1a92-31a2-50ac-840a-3756ee131e71",
    ),
    risk(
        7,
        "Insecure System Configuration",
        "45a3ba44-be08-50e6-af0c-fb19bfe18d83",
    ),
    risk(
        8,
        "Ungoverned Usage of 3rd Party Services",
        "2f10ca17-8835-5f29-a3ed-ca367c5511cf",
    ),
    risk(
        9,
        "Improper Artifact Integrity Validation",
        "95867e8c-ea75-5e89-a005-835c3d9d3d61",
    ),
    risk(
        10,
        "Insufficient Logging and Visibility",
        "34925658-42e0-5ce1-93be-f8ccde11c529",
    ),
];

/// The weaknesses the rules name, by number.
pub const WEAKNESSES: [Weakness; 11] = [
    weakness(
        78,
        "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
        "7d4eeb16-3f60-5a4e-a743-f312b780396a",
    ),
    weakness(
        200,
        "Exposure of Sensitive Information to an Unauthorized Actor",
        "9e0324a6-3a14-5e83-8bcf-f10c90421c0b",
    ),
    weakness(
        250,
        "Execution with Unnecessary Privileges",
        "6d66c1a0-b1a7-52d8-a4d8-1555fe8088fd",
    ),
    weakness(
        311,
        "Missing Encryption of Sensitive Data",
        "9a85eb94-6856-55c6-98fd-18f38fe5cd38",
    ),
    weakness(
        494,
        "Download of Code Without Integrity Check",
        "ad810cc0-596d-5639-9301-25263924f48d",
    ),
    weakness(
        526,
        "Cleartext Storage of Sensitive Information in an Environment Variable",
        "be9d2649-c34b-5f86-a2af-6a8a3ab96fb4",
    ),
    weakness(
        532,
        "Insertion of Sensitive Information into Log File",
        "99e15014-c1a4-5902-ad6c-5b03f6b96b12",
    ),
    weakness(778, "Insufficient Logging", "901dfdf6-33b8-5978-b06d-544959b1c81d"),
    weakness(
        798,
        "Use of Hard-coded Credentials",
        "9007ccd0-a149-5dce-9838-5f53b6b6f504",
    ),
    weakness(
        829,
        "Inclusion of Functionality from Untrusted Control Sphere",
        "432337f8-2b6b-57a7-bdb4-39bd83fb6ba3",
    ),
    weakness(
        1357,
        "Reliance on Insufficiently Trustworthy Component",
        "daa4aee9-2558-5ede-ad82-ae9594974a88",
    ),
];

const fn risk(number: u8, title: &'static str, guid: &'static str) -> Risk {
    Risk { number, title, guid }
}

const fn weakness(number: u32, title: &'static str, guid: &'static str) -> Weakness {
    Weakness { number, title, guid }
}

/// The risks (by number) and weaknesses (by CWE number) of a security rule; empty for the
/// other codes.
fn numbers(code: Code) -> (&'static [u8], &'static [u32]) {
    match code {
        Code::PlaintextSecret => (&[6], &[526]),
        Code::CredentialsInUrl => (&[6], &[798]),
        Code::ExportedSecret => (&[6], &[200]),
        Code::SecretLeakedInCommand => (&[6, 10], &[532]),
        Code::WildcardAction | Code::WildcardResource | Code::UnrestrictedPassRole => (&[5, 2], &[250]),
        Code::PrivilegedWithoutDocker => (&[7], &[250]),
        Code::DeployWithoutChecks => (&[1], &[]),
        Code::MutableImageTag => (&[9], &[494]),
        Code::RepositoryUnscanned => (&[3, 9], &[1357]),
        Code::HardcodedAccountId => (&[7], &[]),
        Code::BuildLogsDisabled => (&[10], &[778]),
        Code::ArtifactEncryptionDisabled => (&[7], &[311]),
        Code::SecretInSource | Code::PossibleSecretInSource => (&[6], &[798]),
        Code::DownloadedScriptRun => (&[3], &[494]),
        Code::OutsiderValueRunAsCode => (&[4], &[78]),
        Code::PrivilegedPullRequestBuild => (&[4, 5], &[250]),
        Code::UnreviewedCodeDeployed => (&[1, 4], &[829]),
        Code::DeployFailureUnnoticed => (&[10], &[778]),
        Code::UnpinnedInstall | Code::MutableBuildImage => (&[3], &[1357]),
        Code::DeployFromEveryBranch => (&[5, 1], &[250]),
        _ => (&[], &[]),
    }
}

/// The OWASP risks a rule falls under.
pub fn risks(code: Code) -> impl Iterator<Item = &'static Risk> {
    numbers(code)
        .0
        .iter()
        .filter_map(|n| RISKS.iter().find(|r| r.number == *n))
}

/// The CWE weaknesses a rule finds.
pub fn weaknesses(code: Code) -> impl Iterator<Item = &'static Weakness> {
    numbers(code)
        .1
        .iter()
        .filter_map(|n| WEAKNESSES.iter().find(|w| w.number == *n))
}

/// The line a rule's catalog entry holds: `Risk: CICD-SEC-6 Insufficient Credential Hygiene;
/// CWE-526 Cleartext Storage of Sensitive Information in an Environment Variable.`
pub fn catalog_line(code: Code) -> Option<String> {
    let mut parts: Vec<String> = risks(code).map(|r| format!("{} {}", r.id(), r.title)).collect();
    if parts.is_empty() {
        return None;
    }
    parts.extend(weaknesses(code).map(|w| format!("{} {}", w.id(), w.title)));
    Some(format!("Risk: {}.", parts.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_security_rule_names_a_risk_and_only_they_do() {
        for code in Code::ALL {
            assert_eq!(
                risks(*code).next().is_some(),
                code.is_security_rule(),
                "{code}: security rules, and only they, name a CICD-SEC risk"
            );
        }
        // Every number a rule names is in the tables (a typo would drop it silently).
        for code in Code::ALL {
            let (risk_numbers, weakness_numbers) = numbers(*code);
            assert_eq!(risks(*code).count(), risk_numbers.len(), "{code}");
            assert_eq!(weaknesses(*code).count(), weakness_numbers.len(), "{code}");
        }
    }

    #[test]
    fn each_catalog_entry_says_where_its_rule_sits() {
        for code in Code::ALL {
            let Some(line) = catalog_line(*code) else { continue };
            let entry = super::super::explain::entry(*code).unwrap_or("");
            assert!(
                entry.lines().any(|l| l == line),
                "spec/diagnostics.md, {code}: the entry should hold the line\n{line}"
            );
        }
    }

    #[test]
    fn guids_are_distinct() {
        let mut guids: Vec<&str> = RISKS.iter().map(|r| r.guid).collect();
        guids.extend(WEAKNESSES.iter().map(|w| w.guid));
        guids.extend([OWASP_GUID, CWE_GUID]);
        let count = guids.len();
        guids.sort();
        guids.dedup();
        assert_eq!(guids.len(), count);
    }
}
