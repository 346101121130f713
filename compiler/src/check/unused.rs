//! Items nothing refers to. Projects and pipelines are what a program is for, so they are
//! never unused; everything else exists to be used by them.

use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::lower::Lowered;
use crate::resolve::model::Kind;

pub fn check(lowered: &Lowered, out: &mut Vec<Diagnostic>) {
    // Text that did not parse (or does not fit the schema) may hold the references: say
    // nothing until it is read.
    if lowered.gaps.any_unread() {
        return;
    }
    let mut unused: Vec<_> = lowered
        .symbols
        .by_name
        .iter()
        .filter(|(_, symbol)| !matches!(symbol.id.kind, Kind::Project | Kind::Pipeline))
        .filter(|(_, symbol)| !lowered.used.contains(&symbol.id))
        .collect();
    unused.sort_by_key(|(_, symbol)| (symbol.loc.file, symbol.loc.span.start));
    for (name, symbol) in unused {
        out.push(
            Diagnostic::new(
                Code::UnusedItem,
                format!("{} `{name}` is never used", symbol.id.kind.keyword()),
                symbol.loc.file,
                symbol.loc.span.clone(),
                "defined here, used nowhere",
            )
            .with_help("use it, or remove it"),
        );
    }
}
