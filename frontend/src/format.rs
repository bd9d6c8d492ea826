//! French wording of figures, dates and levels, kept free of any DOM so it can be
//! unit-tested on the host.

use affecto_api_types::{
    Audience, AutoUnassignDate, Cycle, FileProblem, Level, RosterFormat, RosterImportMode,
    RosterImportOutcome,
};
use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A date as French schools write it: `03/08/2017`.
pub fn short_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// The yearly unassignment day in words, e.g. "31 juillet" or "1er août".
pub fn day_and_month(date: AutoUnassignDate) -> String {
    let month = usize::try_from(date.month)
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("?");
    if date.day == 1 {
        format!("1er {month}")
    } else {
        format!("{} {month}", date.day)
    }
}

/// The banner of the licence screen.
pub fn auto_unassign_banner(date: AutoUnassignDate) -> String {
    format!(
        "Désaffectation automatique des licences élèves au {}",
        day_and_month(date)
    )
}

/// `n` followed by `word`, in the plural unless `n` is 1 (e.g. "3 licences").
pub fn count(n: u32, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// The live counter of the assignment screens: "17 licences disponibles".
pub fn available_seats(n: u32) -> String {
    count(n, "licence disponible", "licences disponibles")
}

/// The confirmation after a saved change:
/// "3 licences affectées, 0 retirées — 82 licences disponibles".
pub fn change_saved(assigned: u32, unassigned: u32, available: u32) -> String {
    format!(
        "{}, {} — {}",
        count(assigned, "licence affectée", "licences affectées"),
        count(unassigned, "retirée", "retirées"),
        available_seats(available)
    )
}

/// The message shown when another administrator took the last seats meanwhile.
pub fn seats_ran_out(available: u32) -> String {
    let remaining = match available {
        0 => "Il ne reste plus aucune licence disponible".to_owned(),
        1 => "Il ne reste qu'une licence disponible".to_owned(),
        n => format!("Il ne reste que {n} licences disponibles"),
    };
    format!("{remaining} : un autre administrateur vient d'en affecter. Rien n'a été enregistré.")
}

/// "Élève" or "Enseignant", the "Public" column.
pub fn audience(audience: Audience) -> &'static str {
    match audience {
        Audience::Student => "Élève",
        Audience::Teacher => "Enseignant",
    }
}

/// The NIVEAUX column: "Collège", "Lycée" or "Collège, Lycée".
pub fn cycles(levels: &[Level]) -> String {
    let college = levels.iter().any(|l| l.cycle() == Cycle::College);
    let lycee = levels.iter().any(|l| l.cycle() == Cycle::Lycee);
    match (college, lycee) {
        (true, true) => "Collège, Lycée".to_owned(),
        (false, true) => "Lycée".to_owned(),
        (true, false) => "Collège".to_owned(),
        (false, false) => "—".to_owned(),
    }
}

/// The exact levels, in school order: "6e, 5e".
pub fn levels(levels: &[Level]) -> String {
    let mut sorted = levels.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|l| l.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A moment as "dd/mm/yyyy HH:MM", from its local calendar parts (month 1 to 12).
pub fn date_time(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> String {
    format!("{day:02}/{month:02}/{year} {hour:02}:{minute:02}")
}

/// The Action column of the journal: "Affectation" or "Désaffectation".
pub fn audit_action(action: &str) -> String {
    match action {
        "assign" => "Affectation".to_owned(),
        "unassign" => "Désaffectation".to_owned(),
        other => other.to_owned(),
    }
}

/// The Par column of the journal: who made a change, from the API's actor
/// (`admin:3`, `client:7`, `operator:1`, `system`).
pub fn audit_actor(actor: &str) -> String {
    let kind = actor.split(':').next().unwrap_or(actor);
    match kind {
        "admin" => "Administrateur".to_owned(),
        "client" => "ENT / API".to_owned(),
        "operator" => "Opérateur".to_owned(),
        "system" => "Automatique".to_owned(),
        _ => actor.to_owned(),
    }
}

/// The Canal column of the journal.
pub fn audit_channel(channel: &str) -> String {
    match channel {
        "web" => "Application web".to_owned(),
        "api" => "API".to_owned(),
        "cli" => "Ligne de commande".to_owned(),
        "system" => "Système".to_owned(),
        other => other.to_owned(),
    }
}

/// The Utilisateur column: "Prénom Nom (login)", or "utilisateur retiré" when the
/// person has since left the directory.
pub fn audit_user(name: Option<&str>, login: Option<&str>) -> String {
    match (name, login) {
        (Some(name), Some(login)) => format!("{name} ({login})"),
        (Some(name), None) => name.to_owned(),
        (None, Some(login)) => login.to_owned(),
        (None, None) => "utilisateur retiré".to_owned(),
    }
}

/// The lines summing up a directory import (or what a dry run would do).
pub fn import_figures(o: &RosterImportOutcome) -> Vec<String> {
    let format = match o.format {
        RosterFormat::Csv => "CSV Affecto",
        RosterFormat::Oneroster => "OneRoster",
    };
    let mode = match o.mode {
        RosterImportMode::Sync => "synchronisation complète",
        RosterImportMode::Upsert => "ajout et mise à jour",
    };
    vec![
        format!("Fichier lu : {format} ({mode})"),
        format!("Personnes avant l'import : {}", o.people_before),
        format!("Ajoutées : {}", o.created),
        format!("Modifiées : {}", o.updated),
        format!("Inchangées : {}", o.unchanged),
        format!("Retirées : {}", o.removed),
        format!("Licences libérées : {}", o.seats_released),
        format!("Classes créées : {}", o.classes_created),
        format!("Classes supprimées : {}", o.classes_removed),
        format!("Lignes ignorées (ni élève ni enseignant) : {}", o.ignored),
    ]
}

/// One problem of a refused file: "users.csv, ligne 4 : the first name is empty".
pub fn file_problem(problem: &FileProblem) -> String {
    let place = match (&problem.file, problem.line) {
        (Some(file), Some(line)) => format!("{file}, ligne {line}"),
        (None, Some(line)) => format!("Ligne {line}"),
        (Some(file), None) => file.clone(),
        (None, None) => "Fichier".to_owned(),
    };
    format!("{place} : {}", problem.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_day_first_with_two_digits() {
        let date = NaiveDate::from_ymd_opt(2017, 8, 3).unwrap();
        assert_eq!(short_date(date), "03/08/2017");
    }

    #[test]
    fn the_banner_names_the_day_in_french() {
        let date = AutoUnassignDate { month: 7, day: 31 };
        assert_eq!(
            auto_unassign_banner(date),
            "Désaffectation automatique des licences élèves au 31 juillet"
        );
        assert_eq!(
            day_and_month(AutoUnassignDate { month: 8, day: 1 }),
            "1er août"
        );
    }

    #[test]
    fn counts_are_singular_only_for_one() {
        assert_eq!(available_seats(1), "1 licence disponible");
        assert_eq!(available_seats(17), "17 licences disponibles");
        assert_eq!(available_seats(0), "0 licences disponibles");
    }

    #[test]
    fn the_confirmation_gives_the_new_counts() {
        assert_eq!(
            change_saved(3, 0, 82),
            "3 licences affectées, 0 retirées — 82 licences disponibles"
        );
    }

    #[test]
    fn the_shortage_message_names_what_is_left() {
        assert_eq!(
            seats_ran_out(2),
            "Il ne reste que 2 licences disponibles : un autre administrateur vient d'en \
             affecter. Rien n'a été enregistré."
        );
    }

    #[test]
    fn levels_are_summed_up_by_cycle() {
        assert_eq!(cycles(&[Level::Quatrieme]), "Collège");
        assert_eq!(cycles(&[Level::Seconde, Level::Terminale]), "Lycée");
        assert_eq!(
            cycles(&[Level::Troisieme, Level::Seconde]),
            "Collège, Lycée"
        );
        assert_eq!(levels(&[Level::Troisieme, Level::Cinquieme]), "5e, 3e");
    }

    #[test]
    fn journal_columns_are_in_french() {
        assert_eq!(date_time(2026, 3, 7, 9, 5), "07/03/2026 09:05");
        assert_eq!(audit_action("assign"), "Affectation");
        assert_eq!(audit_action("unassign"), "Désaffectation");
        assert_eq!(audit_actor("admin:3"), "Administrateur");
        assert_eq!(audit_actor("client:12"), "ENT / API");
        assert_eq!(audit_actor("operator:1"), "Opérateur");
        assert_eq!(audit_actor("system"), "Automatique");
        assert_eq!(audit_channel("web"), "Application web");
        assert_eq!(
            audit_user(Some("Emma Martin"), Some("e001")),
            "Emma Martin (e001)"
        );
        assert_eq!(audit_user(None, None), "utilisateur retiré");
    }

    #[test]
    fn file_problems_name_their_line() {
        let problem = FileProblem {
            file: None,
            line: Some(4),
            message: "the first name is empty".into(),
        };
        assert_eq!(file_problem(&problem), "Ligne 4 : the first name is empty");
    }
}
