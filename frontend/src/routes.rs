//! The app's addresses, built in one place so that links and routes agree.

use affecto_api_types::{Audience, Id};

/// The sign-in screen.
pub const LOGIN: &str = "/connexion";

/// The school account home ("Compte établissement").
pub const HOME: &str = "/";

/// The "Gestion des licences" screen of a school.
pub fn licences(uai: &str) -> String {
    format!("/etablissements/{uai}/licences")
}

/// The "Journal" screen: the audit record of a school's assignment changes.
pub fn journal(uai: &str) -> String {
    format!("/etablissements/{uai}/journal")
}

/// The "Importer le référentiel" screen of a school.
pub fn roster_import(uai: &str) -> String {
    format!("/etablissements/{uai}/referentiel")
}

/// The screen assigning a product's licences to one audience.
pub fn assign(uai: &str, product_id: Id, audience: Audience) -> String {
    let people = match audience {
        Audience::Student => "eleves",
        Audience::Teacher => "enseignants",
    };
    format!("/etablissements/{uai}/produits/{product_id}/{people}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_screens_are_named_after_their_audience() {
        assert_eq!(
            assign("0020002S", 7, Audience::Student),
            "/etablissements/0020002S/produits/7/eleves"
        );
        assert_eq!(
            assign("0020002S", 7, Audience::Teacher),
            "/etablissements/0020002S/produits/7/enseignants"
        );
    }
}
