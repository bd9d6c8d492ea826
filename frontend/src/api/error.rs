//! What can go wrong talking to the API, worded in French for the screens.

use affecto_api_types::{ErrorCode, ErrorDetail};

/// A failed API call.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No valid session: the token is missing, expired or refused. The session has
    /// been closed and the app goes back to the sign-in screen.
    Unauthorized,
    /// The server refused the request with its error envelope.
    Refused { status: u16, detail: ErrorDetail },
    /// The server answered something other than the JSON expected.
    Unexpected { status: u16 },
    /// The request did not get an answer (server down, network cut).
    Network(String),
    /// The address bar names something malformed (e.g. a product number that is not
    /// a number), so no request was sent.
    BadAddress,
}

impl ApiError {
    /// The HTTP status of the answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Unauthorized => Some(401),
            ApiError::Refused { status, .. } | ApiError::Unexpected { status } => Some(*status),
            ApiError::Network(_) | ApiError::BadAddress => None,
        }
    }

    /// A sentence for the administrator, in French, with the server's own message
    /// when there is one so that nothing is hidden.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => "Votre session a expiré : reconnectez-vous.".to_owned(),
            ApiError::Refused { status, detail } => format!(
                "{} (erreur {status} : {})",
                describe(detail.code),
                detail.message
            ),
            ApiError::Unexpected { status } => {
                format!("Réponse inattendue du serveur (erreur {status}).")
            }
            ApiError::Network(cause) => {
                format!("Le serveur ne répond pas. Vérifiez votre connexion. ({cause})")
            }
            ApiError::BadAddress => "Cette adresse ne correspond à aucune page.".to_owned(),
        }
    }
}

/// The French meaning of each stable error code.
pub fn describe(code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::BadRequest => "La demande n'a pas pu être lue",
        ErrorCode::InvalidInput => "Une valeur de la demande est refusée",
        ErrorCode::NotFound => "Introuvable, ou vous n'y avez pas accès",
        ErrorCode::MethodNotAllowed => "Opération non permise",
        ErrorCode::UnsupportedMediaType => "Format de la demande refusé",
        ErrorCode::PayloadTooLarge => "Demande trop volumineuse",
        ErrorCode::Unauthorized => "Session expirée : reconnectez-vous",
        ErrorCode::Forbidden => "Vous n'avez pas les droits pour cette action",
        ErrorCode::TooManyRequests => "Trop de tentatives, réessayez dans quelques minutes",
        ErrorCode::NotEnoughLicences => "Pas assez de licences disponibles",
        ErrorCode::UnknownUsers => "Des utilisateurs sont inconnus dans cet établissement",
        ErrorCode::WrongAudience => "Des utilisateurs ne sont pas du public de ces licences",
        ErrorCode::NoValidPool => "Aucun lot de licences en cours de validité pour ce public",
        ErrorCode::DuplicateUsers => "Un utilisateur est nommé deux fois",
        ErrorCode::Conflict => "Une autre modification a eu lieu au même moment ; réessayez",
        ErrorCode::InvalidFile => "Le fichier comporte des erreurs ; rien n'a été importé",
        ErrorCode::RemovalsNeedConfirmation => {
            "Cet import retirerait plus d'un quart des personnes : confirmez-le"
        }
        ErrorCode::OrderBelowAssigned => {
            "La commande ne peut pas descendre sous le nombre de licences affectées"
        }
        ErrorCode::ServiceUnavailable => "Service momentanément indisponible ; réessayez",
        ErrorCode::Internal => "Erreur interne du serveur",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_shows_the_french_meaning_and_the_server_message() {
        let error = ApiError::Refused {
            status: 404,
            detail: ErrorDetail {
                code: ErrorCode::NotFound,
                message: "no such school".into(),
                available: None,
                requested: None,
                ids: vec![],
                assigned: None,
                problems: vec![],
            },
        };
        assert_eq!(
            error.message(),
            "Introuvable, ou vous n'y avez pas accès (erreur 404 : no such school)"
        );
    }
}
