//! Diesel's view of the tables in `migrations/` (both engines declare the same columns and types).
//! Keep it in step with the migrations: the API tests exercise every table on SQLite and PostgreSQL.

diesel::table! {
    users (id) {
        id -> BigInt,
        login -> Text,
        password_hash -> Text,
        full_name -> Text,
        date_of_birth -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    org_units (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        path -> Text,
        depth -> Integer,
        kind -> Text,
        sector -> Text,
        name -> Text,
        code -> Nullable<Text>,
        founded_on -> Nullable<Date>,
        dissolved_on -> Nullable<Date>,
        merged_into_id -> Nullable<BigInt>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        live_members -> BigInt,
        search_name -> Text,
        border -> Bool,
    }
}

diesel::table! {
    role_assignments (id) {
        id -> BigInt,
        user_id -> BigInt,
        org_unit_id -> BigInt,
        role -> Text,
        title -> Nullable<Text>,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor_user_id -> Nullable<BigInt>,
        action -> Text,
        entity_type -> Text,
        entity_id -> BigInt,
        org_unit_id -> Nullable<BigInt>,
        unit_path -> Nullable<Text>,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        at -> Timestamp,
        seq -> Nullable<BigInt>,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    throttle_windows (key) {
        key -> Text,
        started_at -> Timestamp,
        last_at -> Timestamp,
        failures -> Integer,
    }
}

diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(role_assignments -> users (user_id));
diesel::joinable!(role_assignments -> org_units (org_unit_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    refresh_tokens,
    org_units,
    role_assignments,
    audit_log,
    audit_head,
    idempotency_keys,
    members,
    member_profiles,
    member_words,
    member_transitions,
    positions,
    member_transfers,
    member_placements,
    import_jobs,
    member_merges,
    classes,
    class_sessions,
    class_enrollments,
    class_attendance,
    admissions,
    admission_events,
    admission_targets,
    programmes,
    programme_headings,
    programme_items,
    programme_registrations,
    programme_registration_items,
    programme_commitments,
    programme_progress,
    programme_counts,
    programme_evidence,
    unit_month_counts,
    meetings,
    meeting_attendance,
    removal_candidates,
    rating_periods,
    ratings,
    rating_exclusions,
    rating_revisions,
    unit_ratings,
);

diesel::table! {
    idempotency_keys (id) {
        id -> BigInt,
        scope -> Text,
        idem_key -> Text,
        fingerprint -> Text,
        status -> Nullable<Integer>,
        content_type -> Nullable<Text>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    members (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        unit_id -> BigInt,
        unit_path -> Text,
        full_name -> Text,
        search_name -> Text,
        sort_key -> Text,
        date_of_birth -> Date,
        gender -> Text,
        national_id -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        joined_on -> Date,
        card_number -> Nullable<Text>,
        party_status -> Text,
        party_joined_on -> Nullable<Date>,
        status -> Text,
        status_since -> Date,
        incomplete -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        pending_user_id -> Nullable<BigInt>,
        dues_class -> Text,
    }
}

diesel::table! {
    member_profiles (member_id) {
        member_id -> BigInt,
        ethnicity -> Nullable<Text>,
        religion -> Nullable<Text>,
        hometown -> Nullable<Text>,
        permanent_address -> Nullable<Text>,
        current_address -> Nullable<Text>,
        education -> Nullable<Text>,
        qualification -> Nullable<Text>,
        political_theory -> Nullable<Text>,
        occupation -> Nullable<Text>,
    }
}

diesel::joinable!(members -> org_units (unit_id));
diesel::joinable!(member_profiles -> members (member_id));

diesel::table! {
    member_words (word, member_id) {
        word -> Text,
        member_id -> BigInt,
    }
}

diesel::joinable!(member_words -> members (member_id));

diesel::table! {
    member_transitions (id) {
        id -> BigInt,
        member_id -> BigInt,
        action -> Text,
        from_status -> Text,
        to_status -> Text,
        on_date -> Date,
        reason -> Nullable<Text>,
        actor_user_id -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    positions (id) {
        id -> BigInt,
        member_id -> BigInt,
        unit_id -> BigInt,
        title -> Text,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        role_assignment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        created_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(positions -> members (member_id));

diesel::table! {
    member_transfers (id) {
        id -> BigInt,
        member_id -> BigInt,
        from_unit_id -> BigInt,
        from_path -> Text,
        to_unit_id -> BigInt,
        to_path -> Text,
        placed_unit_id -> Nullable<BigInt>,
        internal -> Bool,
        status -> Text,
        note -> Nullable<Text>,
        release_comment -> Nullable<Text>,
        dues_paid_to -> Nullable<Date>,
        decision_reason -> Nullable<Text>,
        requested_by -> Nullable<BigInt>,
        released_by -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        requested_at -> Timestamp,
        released_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        version -> BigInt,
    }
}

diesel::joinable!(member_transfers -> members (member_id));

diesel::table! {
    member_placements (id) {
        id -> BigInt,
        member_id -> BigInt,
        unit_id -> BigInt,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        cause -> Text,
        transfer_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(member_placements -> members (member_id));
diesel::joinable!(member_placements -> org_units (unit_id));

diesel::table! {
    import_jobs (id) {
        id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        user_id -> BigInt,
        file_name -> Text,
        mode -> Text,
        status -> Text,
        total_rows -> BigInt,
        processed_rows -> BigInt,
        error_rows -> BigInt,
        imported_rows -> BigInt,
        message -> Nullable<Text>,
        report -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        kind -> Text,
    }
}

diesel::table! {
    member_merges (id) {
        id -> BigInt,
        survivor_id -> BigInt,
        duplicate_id -> BigInt,
        snapshot -> Text,
        merged_by -> Nullable<BigInt>,
        merged_at -> Timestamp,
    }
}

diesel::joinable!(member_merges -> members (survivor_id));

diesel::table! {
    classes (id) {
        id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        kind -> Text,
        title -> Text,
        capacity -> Integer,
        enrolled -> Integer,
        enrol_from -> Date,
        enrol_until -> Date,
        for_applicants -> Bool,
        for_members -> Bool,
        for_cadres -> Bool,
        certificates -> Integer,
        version -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    class_sessions (id) {
        id -> BigInt,
        class_id -> BigInt,
        held_on -> Date,
        starts_at -> Text,
        place -> Nullable<Text>,
        online_url -> Nullable<Text>,
    }
}

diesel::table! {
    class_enrollments (id) {
        id -> BigInt,
        class_id -> BigInt,
        user_id -> Nullable<BigInt>,
        member_id -> Nullable<BigInt>,
        full_name -> Text,
        status -> Text,
        result -> Nullable<Text>,
        score -> Nullable<Integer>,
        essay -> Text,
        certificate_no -> Nullable<Text>,
        enrolled_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    class_attendance (session_id, enrollment_id) {
        session_id -> BigInt,
        enrollment_id -> BigInt,
        method -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::joinable!(classes -> org_units (unit_id));
diesel::joinable!(class_sessions -> classes (class_id));
diesel::joinable!(class_enrollments -> classes (class_id));
diesel::joinable!(class_attendance -> class_sessions (session_id));
diesel::joinable!(class_attendance -> class_enrollments (enrollment_id));

diesel::table! {
    admissions (id) {
        id -> BigInt,
        user_id -> BigInt,
        unit_id -> Nullable<BigInt>,
        unit_path -> Nullable<Text>,
        state -> Text,
        form -> Text,
        full_name -> Text,
        date_of_birth -> Nullable<Date>,
        introducer_member_id -> Nullable<BigInt>,
        introducer_org -> Nullable<Text>,
        class_id -> Nullable<BigInt>,
        enrollment_id -> Nullable<BigInt>,
        meeting_on -> Nullable<Date>,
        present -> Nullable<Integer>,
        votes_for -> Nullable<Integer>,
        votes_against -> Nullable<Integer>,
        decision_no -> Nullable<Text>,
        decided_on -> Nullable<Date>,
        signer -> Nullable<Text>,
        ceremony_on -> Nullable<Date>,
        member_id -> Nullable<BigInt>,
        submitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    admission_events (id) {
        id -> BigInt,
        admission_id -> BigInt,
        action -> Text,
        from_state -> Text,
        to_state -> Text,
        reason -> Nullable<Text>,
        actor_user_id -> Nullable<BigInt>,
        at -> Timestamp,
    }
}

diesel::joinable!(admission_events -> admissions (admission_id));

diesel::table! {
    admission_targets (unit_id, year) {
        unit_id -> BigInt,
        year -> Integer,
        target -> Integer,
        set_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    programmes (id) {
        id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        year -> Integer,
        period_kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        title -> Text,
        registration_opens_on -> Date,
        registration_closes_on -> Date,
        min_optional -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
        is_template -> Bool,
    }
}

diesel::table! {
    programme_headings (id) {
        id -> BigInt,
        programme_id -> BigInt,
        position -> Integer,
        title -> Text,
    }
}

diesel::table! {
    programme_items (id) {
        id -> BigInt,
        programme_id -> BigInt,
        heading_id -> BigInt,
        position -> Integer,
        title -> Text,
        required -> Bool,
        target -> Integer,
        counted -> Text,
        fills_from -> Nullable<Text>,
    }
}

diesel::table! {
    programme_registrations (id) {
        id -> BigInt,
        programme_id -> BigInt,
        member_id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        year -> Integer,
        state -> Text,
        self_result -> Nullable<Text>,
        self_text -> Nullable<Text>,
        result -> Nullable<Text>,
        comment -> Nullable<Text>,
        evaluated_by -> Nullable<BigInt>,
        evaluated_at -> Nullable<Timestamp>,
        registered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    programme_registration_items (registration_id, item_id) {
        registration_id -> BigInt,
        item_id -> BigInt,
        done -> Integer,
    }
}

diesel::table! {
    programme_commitments (registration_id, heading_id) {
        registration_id -> BigInt,
        heading_id -> BigInt,
        text -> Text,
    }
}

diesel::table! {
    programme_progress (id) {
        id -> BigInt,
        registration_id -> BigInt,
        item_id -> BigInt,
        count -> Integer,
        done_on -> Date,
        note -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    programme_counts (unit_id, year, counter) {
        unit_id -> BigInt,
        year -> Integer,
        counter -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    unit_month_counts (unit_id, month, counter) {
        unit_id -> BigInt,
        month -> Text,
        counter -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    meetings (id) {
        id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        kind -> Text,
        status -> Text,
        starts_at -> Timestamp,
        title -> Text,
        place -> Nullable<Text>,
        online_url -> Nullable<Text>,
        agenda -> Nullable<Text>,
        minutes -> Nullable<Text>,
        chaired_by -> Nullable<Text>,
        guests -> Nullable<Text>,
        present -> BigInt,
        excused -> BigInt,
        absent -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    meeting_attendance (meeting_id, member_id) {
        meeting_id -> BigInt,
        member_id -> BigInt,
        status -> Text,
        reason -> Nullable<Text>,
        method -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    removal_candidates (id) {
        id -> BigInt,
        member_id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        year -> Integer,
        attendance_months -> Text,
        dues_months -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::joinable!(removal_candidates -> members (member_id));
diesel::joinable!(meetings -> org_units (unit_id));
diesel::joinable!(meeting_attendance -> meetings (meeting_id));
diesel::joinable!(meeting_attendance -> members (member_id));
diesel::joinable!(programmes -> org_units (unit_id));
diesel::joinable!(programme_headings -> programmes (programme_id));
diesel::joinable!(programme_items -> programme_headings (heading_id));
diesel::joinable!(programme_registrations -> programmes (programme_id));
diesel::joinable!(programme_registrations -> members (member_id));
diesel::joinable!(programme_registration_items -> programme_registrations (registration_id));
diesel::joinable!(programme_registration_items -> programme_items (item_id));
diesel::joinable!(programme_commitments -> programme_registrations (registration_id));
diesel::joinable!(programme_commitments -> programme_headings (heading_id));
diesel::joinable!(programme_progress -> programme_registrations (registration_id));
diesel::joinable!(programme_counts -> org_units (unit_id));

diesel::table! {
    programme_evidence (id) {
        id -> BigInt,
        progress_id -> BigInt,
        registration_id -> BigInt,
        kind -> Text,
        url -> Nullable<Text>,
        media_type -> Nullable<Text>,
        size -> Nullable<BigInt>,
        sha256 -> Nullable<Text>,
        file_name -> Nullable<Text>,
        added_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(programme_evidence -> programme_progress (progress_id));

// Dues (`db/dues.rs`), in a block of their own.
diesel::table! {
    dues_rates (id) {
        id -> BigInt,
        unit_id -> BigInt,
        effective_from -> Text,
        unsalaried -> BigInt,
        salaried -> BigInt,
        branch_percent -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    dues_payments (id) {
        id -> BigInt,
        member_id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        amount -> BigInt,
        paid_on -> Date,
        recorded_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    dues_payment_months (member_id, month) {
        member_id -> BigInt,
        month -> Text,
        payment_id -> BigInt,
        unit_path -> Text,
        amount -> BigInt,
        kept -> BigInt,
    }
}

diesel::joinable!(dues_payments -> members (member_id));
diesel::joinable!(dues_payment_months -> dues_payments (payment_id));
diesel::allow_tables_to_appear_in_same_query!(dues_payments, dues_payment_months);
diesel::allow_tables_to_appear_in_same_query!(dues_payments, members);
diesel::allow_tables_to_appear_in_same_query!(dues_payment_months, members);
diesel::allow_tables_to_appear_in_same_query!(dues_rates, org_units);

diesel::table! {
    rating_periods (id) {
        id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        year -> Integer,
        period_kind -> Text,
        starts_on -> Date,
        ends_on -> Date,
        self_until -> Date,
        branch_until -> Date,
        confirm_until -> Date,
        min_months -> Integer,
        rate_full_party -> Bool,
        quota_percent -> Integer,
        quota_enforced -> Bool,
        ratings -> BigInt,
        confirmed -> BigInt,
        opened_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    ratings (id) {
        id -> BigInt,
        period_id -> Nullable<BigInt>,
        member_id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        year -> Integer,
        state -> Text,
        months -> Integer,
        self_level -> Nullable<Text>,
        self_text -> Nullable<Text>,
        self_at -> Nullable<Timestamp>,
        proposed_level -> Nullable<Text>,
        proposal_comment -> Nullable<Text>,
        meeting_on -> Nullable<Date>,
        proposed_by -> Nullable<BigInt>,
        level -> Nullable<Text>,
        label -> Nullable<Text>,
        decision_no -> Nullable<Text>,
        decided_on -> Nullable<Date>,
        decided_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    rating_exclusions (period_id, member_id) {
        period_id -> BigInt,
        member_id -> BigInt,
        year -> Integer,
        reason -> Text,
        months -> Integer,
        comment -> Nullable<Text>,
        comment_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    rating_revisions (id) {
        id -> BigInt,
        rating_id -> BigInt,
        level_before -> Text,
        decision_no_before -> Nullable<Text>,
        level -> Text,
        reason -> Text,
        decision_no -> Text,
        decided_on -> Date,
        revised_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    unit_ratings (id) {
        id -> BigInt,
        unit_id -> BigInt,
        unit_path -> Text,
        year -> Integer,
        level -> Text,
        assessment -> Nullable<Text>,
        rated_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::joinable!(rating_periods -> org_units (unit_id));
diesel::joinable!(ratings -> members (member_id));
diesel::joinable!(ratings -> rating_periods (period_id));
diesel::joinable!(rating_exclusions -> members (member_id));
diesel::joinable!(rating_exclusions -> rating_periods (period_id));
diesel::joinable!(rating_revisions -> ratings (rating_id));
diesel::joinable!(unit_ratings -> org_units (unit_id));
