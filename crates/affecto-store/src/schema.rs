//! Diesel's view of the tables created by `migrations/{sqlite,postgres}`.

diesel::table! {
    schools (id) {
        id -> BigInt,
        uai -> Text,
        name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    classes (id) {
        id -> BigInt,
        school_id -> BigInt,
        name -> Text,
        level -> Text,
    }
}

diesel::table! {
    subjects (id) {
        id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        school_id -> BigInt,
        role -> Text,
        login -> Text,
        first_name -> Text,
        last_name -> Text,
        class_id -> Nullable<BigInt>,
        source_id -> Nullable<Text>,
    }
}

diesel::table! {
    teacher_subjects (user_id, subject_id) {
        user_id -> BigInt,
        subject_id -> BigInt,
    }
}

diesel::table! {
    products (id) {
        id -> BigInt,
        external_id -> Text,
        kind -> Text,
        title -> Text,
    }
}

diesel::table! {
    product_levels (product_id, level) {
        product_id -> BigInt,
        level -> Text,
    }
}

diesel::table! {
    product_subjects (product_id, subject_id) {
        product_id -> BigInt,
        subject_id -> BigInt,
    }
}

diesel::table! {
    licence_pools (id) {
        id -> BigInt,
        school_id -> BigInt,
        product_id -> BigInt,
        audience -> Text,
        purchased -> Integer,
        assigned -> Integer,
        valid_from -> Date,
        valid_until -> Date,
        order_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    orders (id) {
        id -> BigInt,
        distributor -> Text,
        order_ref -> Text,
        school_id -> BigInt,
        product_id -> BigInt,
        valid_from -> Date,
        valid_until -> Date,
        transferable -> Bool,
        recorded_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    roster_imports (id) {
        id -> BigInt,
        school_id -> BigInt,
        batch_id -> Text,
        actor -> Text,
        channel -> Text,
        format -> Text,
        mode -> Text,
        created -> Integer,
        updated -> Integer,
        removed -> Integer,
        seats_released -> Integer,
        at -> Timestamp,
    }
}

diesel::table! {
    assignments (id) {
        id -> BigInt,
        pool_id -> BigInt,
        school_id -> BigInt,
        product_id -> BigInt,
        user_id -> BigInt,
        assigned_at -> Timestamp,
        assigned_by -> Text,
    }
}

diesel::table! {
    assignment_events (id) {
        id -> BigInt,
        school_id -> BigInt,
        product_id -> BigInt,
        pool_id -> BigInt,
        user_id -> BigInt,
        action -> Text,
        actor -> Text,
        channel -> Text,
        batch_id -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    admins (id) {
        id -> BigInt,
        email -> Text,
        password_hash -> Text,
        display_name -> Text,
        is_operator -> Bool,
    }
}

diesel::table! {
    admin_schools (admin_id, school_id) {
        admin_id -> BigInt,
        school_id -> BigInt,
    }
}

diesel::table! {
    api_clients (id) {
        id -> BigInt,
        client_id -> Text,
        secret_hash -> Text,
        name -> Text,
        scopes -> Text,
    }
}

diesel::table! {
    api_client_schools (api_client_id, school_id) {
        api_client_id -> BigInt,
        school_id -> BigInt,
    }
}

diesel::table! {
    rollover_runs (id) {
        id -> BigInt,
        school_id -> BigInt,
        school_year -> Integer,
        ran_at -> Timestamp,
        released -> Integer,
    }
}

diesel::joinable!(classes -> schools (school_id));
diesel::joinable!(users -> schools (school_id));
diesel::joinable!(users -> classes (class_id));
diesel::joinable!(teacher_subjects -> users (user_id));
diesel::joinable!(teacher_subjects -> subjects (subject_id));
diesel::joinable!(product_levels -> products (product_id));
diesel::joinable!(product_subjects -> products (product_id));
diesel::joinable!(product_subjects -> subjects (subject_id));
diesel::joinable!(licence_pools -> schools (school_id));
diesel::joinable!(licence_pools -> products (product_id));
diesel::joinable!(assignments -> licence_pools (pool_id));
diesel::joinable!(assignments -> users (user_id));
diesel::joinable!(admin_schools -> admins (admin_id));
diesel::joinable!(admin_schools -> schools (school_id));
diesel::joinable!(api_client_schools -> api_clients (api_client_id));
diesel::joinable!(api_client_schools -> schools (school_id));
diesel::joinable!(orders -> schools (school_id));
diesel::joinable!(orders -> products (product_id));
diesel::joinable!(licence_pools -> orders (order_id));
diesel::joinable!(roster_imports -> schools (school_id));

diesel::allow_tables_to_appear_in_same_query!(
    schools,
    classes,
    subjects,
    users,
    teacher_subjects,
    products,
    product_levels,
    product_subjects,
    licence_pools,
    assignments,
    assignment_events,
    admins,
    admin_schools,
    api_clients,
    api_client_schools,
    rollover_runs,
    orders,
    roster_imports,
);
