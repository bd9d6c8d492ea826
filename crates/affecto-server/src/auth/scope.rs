use std::fmt;
use std::str::FromStr;

/// What a token allows, on the schools its holder may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Read licences, classes, students and teachers.
    LicencesRead,
    /// Assign and unassign licences.
    AssignmentsWrite,
    /// Ask whether a user may open a resource, list a user's resources.
    AccessRead,
    /// Import the school directory.
    RosterWrite,
    /// Record orders (licences bought).
    OrdersWrite,
}

impl Scope {
    pub const ALL: [Scope; 5] = [
        Scope::LicencesRead,
        Scope::AssignmentsWrite,
        Scope::AccessRead,
        Scope::RosterWrite,
        Scope::OrdersWrite,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::LicencesRead => "licences:read",
            Scope::AssignmentsWrite => "assignments:write",
            Scope::AccessRead => "access:read",
            Scope::RosterWrite => "roster:write",
            Scope::OrdersWrite => "orders:write",
        }
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| format!("unknown scope {s:?}"))
    }
}

/// A set of scopes, written space-separated as in OAuth2.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    pub fn contains(&self, scope: Scope) -> bool {
        self.0.contains(&scope)
    }

    /// The scopes of `self` that `other` also has.
    pub fn intersection(&self, other: &Scopes) -> Scopes {
        Scopes(
            self.0
                .iter()
                .copied()
                .filter(|s| other.contains(*s))
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<Scope> for Scopes {
    fn from_iter<I: IntoIterator<Item = Scope>>(iter: I) -> Self {
        let mut scopes: Vec<Scope> = iter.into_iter().collect();
        scopes.sort();
        scopes.dedup();
        Scopes(scopes)
    }
}

impl FromStr for Scopes {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split_whitespace().map(str::parse).collect()
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.iter().map(|s| s.as_str()).collect();
        f.write_str(&names.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_and_write_as_oauth2_strings() {
        let scopes: Scopes = "access:read licences:read access:read".parse().unwrap();
        assert_eq!(scopes.to_string(), "licences:read access:read");
        assert!(scopes.contains(Scope::AccessRead));
        assert!(!scopes.contains(Scope::AssignmentsWrite));
        assert!("licences:write".parse::<Scopes>().is_err());
    }
}
