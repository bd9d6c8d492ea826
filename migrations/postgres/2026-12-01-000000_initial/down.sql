DROP TABLE rollover_runs, api_client_schools, api_clients, admin_schools, admins,
    assignment_events, assignments, licence_pools, product_subjects, product_levels,
    products, teacher_subjects, users, subjects, classes, schools;
