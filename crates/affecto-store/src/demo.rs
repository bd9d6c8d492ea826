//! The demonstration data: the collège of the original screen description, with the
//! same licence figures, and a lycée beside it so that tenant isolation can be seen.

use affecto_domain::{Audience, Level, SchoolYear};
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::catalogue::{
    create_class, create_pool, ensure_product, insert_people, NewPerson, NewPool, NewProduct,
};
use crate::schema::{assignments, licence_pools, rollover_runs};
use crate::{accounts, schools, DbConnection, StoreError};

pub const COLLEGE_UAI: &str = "0020002S";
pub const LYCEE_UAI: &str = "0590001A";
pub const COLLEGE_ADMIN: &str = "admin@college-demo.fr";
pub const LYCEE_ADMIN: &str = "admin@lycee-demo.fr";
pub const DEMO_CLIENT_ID: &str = "demo-ent";
pub const DEMO_CLIENT_SCOPES: &str = "licences:read assignments:write access:read roster:write";

/// Hashes of the demo credentials, made by the caller (the store does no cryptography).
pub struct DemoCredentials {
    pub admin_password_hash: String,
    pub client_secret_hash: String,
}

/// When the demo is seeded, and which school year's automatic unassignment counts as
/// already done (the demo's figures would otherwise be released at once).
pub struct DemoClock {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    pub latest_rollover: SchoolYear,
}

/// Creates the two demo schools unless the collège exists already; returns whether
/// anything was created.
pub fn seed(
    conn: &mut DbConnection,
    credentials: &DemoCredentials,
    clock: &DemoClock,
) -> Result<bool, StoreError> {
    conn.transaction(|conn| {
        if schools::find_visible_school(conn, schools::Viewer::Operator, COLLEGE_UAI)?.is_some() {
            return Ok(false);
        }
        seed_college(conn, credentials, clock)?;
        seed_lycee(conn, credentials, clock)?;
        Ok(true)
    })
}

const FIRST_NAMES: [&str; 40] = [
    "Emma", "Louise", "Jade", "Alice", "Chloé", "Lina", "Léa", "Rose", "Anna", "Mila", "Inès",
    "Ambre", "Julia", "Zoé", "Manon", "Lou", "Camille", "Sarah", "Agathe", "Jeanne", "Gabriel",
    "Léo", "Raphaël", "Arthur", "Louis", "Jules", "Adam", "Maël", "Lucas", "Hugo", "Noah", "Liam",
    "Sacha", "Nathan", "Ethan", "Paul", "Tom", "Théo", "Mohamed", "Yanis",
];

const LAST_NAMES: [&str; 50] = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
];

/// A reproducible sequence of students: the same names and logins on every machine.
struct StudentFactory {
    login_prefix: String,
    counter: usize,
}

impl StudentFactory {
    fn new(uai: &str) -> Self {
        Self {
            login_prefix: uai.to_lowercase(),
            counter: 0,
        }
    }

    fn next(&mut self, class_id: i64) -> NewPerson {
        self.counter += 1;
        let n = self.counter;
        NewPerson {
            role: Audience::Student,
            // 7919 is prime to 9000, so the 4-digit numbers never repeat.
            login: format!("{}-e{}", self.login_prefix, 1000 + (n * 7919) % 9000),
            first_name: FIRST_NAMES[(n * 7) % FIRST_NAMES.len()].to_owned(),
            last_name: LAST_NAMES[(n * 13 + n / 50) % LAST_NAMES.len()].to_owned(),
            class_id: Some(class_id),
            subjects: Vec::new(),
        }
    }

    fn class(
        &mut self,
        conn: &mut DbConnection,
        school_id: i64,
        name: &str,
        level: Level,
        size: usize,
    ) -> Result<Vec<i64>, StoreError> {
        let class_id = create_class(conn, school_id, name, level)?;
        let people: Vec<NewPerson> = (0..size).map(|_| self.next(class_id)).collect();
        insert_people(conn, school_id, &people)
    }
}

fn teacher(uai: &str, n: usize, first_name: &str, last_name: &str, subjects: &[&str]) -> NewPerson {
    NewPerson {
        role: Audience::Teacher,
        login: format!("{}-p{:04}", uai.to_lowercase(), 100 + n),
        first_name: first_name.to_owned(),
        last_name: last_name.to_owned(),
        class_id: None,
        subjects: subjects.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// Pools valid today end on 3 August next year, as in the original screen's
/// "03/08"; expired ones ended on the last 3 August before today.
fn validity(today: NaiveDate) -> ((NaiveDate, NaiveDate), (NaiveDate, NaiveDate)) {
    let aug3 = |year| NaiveDate::from_ymd_opt(year, 8, 3).expect("3 August exists");
    let active_until = aug3(today.year() + 1);
    let expired_until = if aug3(today.year()) < today {
        aug3(today.year())
    } else {
        aug3(today.year() - 1)
    };
    let year_before = |d: NaiveDate| d.checked_sub_days(Days::new(365)).expect("in range");
    (
        (year_before(active_until), active_until),
        (year_before(expired_until), expired_until),
    )
}

struct Order<'a> {
    product: NewProduct<'a>,
    students: i32,
    teachers: i32,
}

fn seed_college(
    conn: &mut DbConnection,
    credentials: &DemoCredentials,
    clock: &DemoClock,
) -> Result<(), StoreError> {
    let school = schools::create_school(conn, COLLEGE_UAI, "Collège de démonstration", clock.now)?
        .ok_or_else(|| StoreError::Config("demo school exists".into()))?;
    let mut factory = StudentFactory::new(COLLEGE_UAI);
    let mut sixth = Vec::new();
    for name in ["6e A", "6e B", "6e C", "6e D"] {
        sixth.push(factory.class(conn, school.id, name, Level::Sixieme, 26)?);
    }
    let mut fifth = Vec::new();
    for name in ["5e A", "5e B"] {
        fifth.extend(factory.class(conn, school.id, name, Level::Cinquieme, 27)?);
    }
    let mut fourth = Vec::new();
    for name in ["4e A", "4e B", "4e C", "4e D"] {
        fourth.extend(factory.class(conn, school.id, name, Level::Quatrieme, 23)?);
    }
    let mut third = Vec::new();
    for name in ["3e A", "3e B", "3e C", "3e D"] {
        third.extend(factory.class(conn, school.id, name, Level::Troisieme, 23)?);
    }

    let teachers = insert_people(conn, school.id, &college_teachers())?;
    let (french_teachers, science_teachers) = (&teachers[0..4], &teachers[4..6]);

    let ((from, until), (expired_from, expired_until)) = validity(clock.today);
    let mut pools = Vec::new();
    for order in college_orders() {
        let product_id = ensure_product(conn, &order.product)?;
        let pool = |audience, purchased| NewPool {
            school_id: school.id,
            product_id,
            audience,
            purchased,
            valid_from: from,
            valid_until: until,
        };
        pools.push((
            product_id,
            create_pool(conn, &pool(Audience::Student, order.students))?,
            create_pool(conn, &pool(Audience::Teacher, order.teachers))?,
        ));
    }
    let (french, french_students, french_teachers_pool) = pools[0];
    let (science, science_students, science_teachers_pool) = pools[2];
    let actor = "system:demo";
    assign_to_pool(
        conn,
        school.id,
        french,
        french_students,
        &fourth[..85],
        actor,
        clock.now,
    )?;
    assign_to_pool(
        conn,
        school.id,
        french,
        french_teachers_pool,
        french_teachers,
        actor,
        clock.now,
    )?;
    let first_two_sixth: Vec<i64> = sixth[0].iter().chain(&sixth[1]).copied().collect();
    assign_to_pool(
        conn,
        school.id,
        science,
        science_students,
        &first_two_sixth,
        actor,
        clock.now,
    )?;
    assign_to_pool(
        conn,
        school.id,
        science,
        science_teachers_pool,
        &science_teachers[..1],
        actor,
        clock.now,
    )?;

    let expired = |product_id, purchased| NewPool {
        school_id: school.id,
        product_id,
        audience: Audience::Student,
        purchased,
        valid_from: expired_from,
        valid_until: expired_until,
    };
    let old_french = create_pool(conn, &expired(french, 89))?;
    assign_to_pool(
        conn,
        school.id,
        french,
        old_french,
        &third[..89],
        actor,
        clock.now,
    )?;
    let old_science = create_pool(conn, &expired(science, 58))?;
    assign_to_pool(
        conn,
        school.id,
        science,
        old_science,
        &fifth[..53],
        actor,
        clock.now,
    )?;

    let admin = accounts::upsert_admin(
        conn,
        COLLEGE_ADMIN,
        "Administrateur du collège",
        &credentials.admin_password_hash,
        false,
    )?;
    accounts::grant_admin_school(conn, admin, school.id)?;
    let client = accounts::upsert_client(
        conn,
        DEMO_CLIENT_ID,
        "ENT de démonstration",
        &credentials.client_secret_hash,
        DEMO_CLIENT_SCOPES,
    )?;
    accounts::grant_client_school(conn, client, school.id)?;
    mark_rollover_done(conn, school.id, clock)
}

fn college_teachers() -> Vec<NewPerson> {
    let uai = COLLEGE_UAI;
    vec![
        teacher(uai, 1, "Claire", "Fontaine", &["Français"]),
        teacher(uai, 2, "Julien", "Marchand", &["Français"]),
        teacher(uai, 3, "Sophie", "Lemaire", &["Français", "Latin"]),
        teacher(uai, 4, "Nicolas", "Barbier", &["Français"]),
        teacher(uai, 5, "Isabelle", "Caron", &["Sciences et technologie"]),
        teacher(
            uai,
            6,
            "Marc",
            "Renaud",
            &["Sciences et technologie", "Technologie"],
        ),
        teacher(uai, 7, "Karen", "Smith", &["Anglais"]),
        teacher(uai, 8, "Olivier", "Meunier", &["Anglais"]),
        teacher(uai, 9, "Nathalie", "Perret", &["Mathématiques"]),
        teacher(uai, 10, "Thierry", "Collet", &["Mathématiques"]),
        teacher(uai, 11, "Valérie", "Noël", &["SVT"]),
        teacher(uai, 12, "Pascal", "Hubert", &["Physique-Chimie"]),
        teacher(uai, 13, "Anne", "Picard", &["Histoire-Géographie"]),
    ]
}

fn college_orders() -> Vec<Order<'static>> {
    let manuel = "Manuel numérique";
    let cycle4 = &[Level::Cinquieme, Level::Quatrieme, Level::Troisieme];
    let product = |external_id, title, levels, subjects| NewProduct {
        external_id,
        kind: manuel,
        title,
        levels,
        subjects,
    };
    vec![
        Order {
            product: product(
                "ark:/86527/francais-4e-envol-2016",
                "FRANCAIS 4e L'envol des lettres ed 2016",
                &[Level::Quatrieme],
                &["Français"],
            ),
            students: 85,
            teachers: 4,
        },
        Order {
            product: product(
                "ark:/86527/i-bet-you-can-6e-2017",
                "I Bet You Can! 6e (2017)",
                &[Level::Sixieme],
                &["Anglais"],
            ),
            students: 85,
            teachers: 3,
        },
        Order {
            product: product(
                "ark:/86527/sciences-6e-2016",
                "Sciences et technologie 6e ed 2016",
                &[Level::Sixieme],
                &["Sciences et technologie"],
            ),
            students: 56,
            teachers: 2,
        },
        Order {
            product: product(
                "ark:/86527/svt-cycle4-2017",
                "SVT Cycle 4 (2017)",
                cycle4,
                &["SVT"],
            ),
            students: 40,
            teachers: 2,
        },
        Order {
            product: product(
                "ark:/86527/physique-chimie-c4-ed2017",
                "Physique-Chimie cycle 4 ed 2017",
                cycle4,
                &["Physique-Chimie"],
            ),
            students: 24,
            teachers: 2,
        },
        Order {
            product: product(
                "ark:/86527/physique-chimie-c4-2017",
                "Physique Chimie Cycle 4 (2017)",
                cycle4,
                &["Physique-Chimie"],
            ),
            students: 24,
            teachers: 2,
        },
        Order {
            product: product(
                "ark:/86527/delta-maths-6e-2016",
                "Delta Maths 6e (2016)",
                &[Level::Sixieme],
                &["Mathématiques"],
            ),
            students: 8,
            teachers: 2,
        },
    ]
}

fn seed_lycee(
    conn: &mut DbConnection,
    credentials: &DemoCredentials,
    clock: &DemoClock,
) -> Result<(), StoreError> {
    let school = schools::create_school(conn, LYCEE_UAI, "Lycée de démonstration", clock.now)?
        .ok_or_else(|| StoreError::Config("demo school exists".into()))?;
    let mut factory = StudentFactory::new(LYCEE_UAI);
    let seconde = factory.class(conn, school.id, "2nde 1", Level::Seconde, 24)?;
    factory.class(conn, school.id, "2nde 2", Level::Seconde, 24)?;
    factory.class(conn, school.id, "1re 1", Level::Premiere, 22)?;
    factory.class(conn, school.id, "Tle 1", Level::Terminale, 20)?;
    let uai = LYCEE_UAI;
    let teachers = insert_people(
        conn,
        school.id,
        &[
            teacher(uai, 1, "Hélène", "Giraud", &["Histoire-Géographie"]),
            teacher(uai, 2, "Bruno", "Lacroix", &["Mathématiques"]),
            teacher(uai, 3, "Céline", "Vidal", &["Mathématiques"]),
        ],
    )?;

    let ((from, until), _) = validity(clock.today);
    let history = ensure_product(
        conn,
        &NewProduct {
            external_id: "ark:/86527/histoire-geo-2nde-2019",
            kind: "Manuel numérique",
            title: "Histoire-Géographie 2nde (2019)",
            levels: &[Level::Seconde],
            subjects: &["Histoire-Géographie"],
        },
    )?;
    let maths = ensure_product(
        conn,
        &NewProduct {
            external_id: "ark:/86527/maths-tle-specialite-2020",
            kind: "Manuel numérique",
            title: "Mathématiques Tle spécialité (2020)",
            levels: &[Level::Terminale],
            subjects: &["Mathématiques"],
        },
    )?;
    let pool = |product_id, audience, purchased| NewPool {
        school_id: school.id,
        product_id,
        audience,
        purchased,
        valid_from: from,
        valid_until: until,
    };
    let history_students = create_pool(conn, &pool(history, Audience::Student, 48))?;
    let history_teachers = create_pool(conn, &pool(history, Audience::Teacher, 2))?;
    create_pool(conn, &pool(maths, Audience::Student, 20))?;
    create_pool(conn, &pool(maths, Audience::Teacher, 2))?;
    assign_to_pool(
        conn,
        school.id,
        history,
        history_students,
        &seconde[..10],
        "system:demo",
        clock.now,
    )?;
    assign_to_pool(
        conn,
        school.id,
        history,
        history_teachers,
        &teachers[..1],
        "system:demo",
        clock.now,
    )?;

    let admin = accounts::upsert_admin(
        conn,
        LYCEE_ADMIN,
        "Administratrice du lycée",
        &credentials.admin_password_hash,
        false,
    )?;
    accounts::grant_admin_school(conn, admin, school.id)?;
    mark_rollover_done(conn, school.id, clock)
}

/// Hands licences of one pool to these users directly, as an import of existing
/// assignments would. The demo uses it to fill pools that are already expired.
fn assign_to_pool(
    conn: &mut DbConnection,
    school_id: i64,
    product_id: i64,
    pool_id: i64,
    user_ids: &[i64],
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), StoreError> {
    let rows: Vec<_> = user_ids
        .iter()
        .map(|&user| {
            (
                assignments::pool_id.eq(pool_id),
                assignments::school_id.eq(school_id),
                assignments::product_id.eq(product_id),
                assignments::user_id.eq(user),
                assignments::assigned_at.eq(now),
                assignments::assigned_by.eq(actor),
            )
        })
        .collect();
    on_each_backend!(conn, c => diesel::insert_into(assignments::table).values(rows).execute(c))?;
    diesel::update(licence_pools::table.find(pool_id))
        .set(licence_pools::assigned.eq(licence_pools::assigned + user_ids.len() as i32))
        .execute(conn)?;
    Ok(())
}

fn mark_rollover_done(
    conn: &mut DbConnection,
    school_id: i64,
    clock: &DemoClock,
) -> Result<(), StoreError> {
    diesel::insert_into(rollover_runs::table)
        .values((
            rollover_runs::school_id.eq(school_id),
            rollover_runs::school_year.eq(clock.latest_rollover.end_year),
            rollover_runs::ran_at.eq(clock.now),
            rollover_runs::released.eq(0),
        ))
        .execute(conn)?;
    Ok(())
}
