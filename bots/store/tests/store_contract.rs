//! The store's contract, written once and run on SQLite and on PostgreSQL.

use std::collections::BTreeSet;

use ruban_store::export::{write_pledges, write_totals};
use ruban_store::*;
use ruban_tests::contract;
use ruban_tests::store::{CAMPAIGN, Fresh};
use ruban_vocabulary::clock;

fn pledge_req(person: &str) -> PledgeRequest {
    PledgeRequest {
        campaign: CAMPAIGN,
        person_key: person.to_owned(),
        platform: "telegram".into(),
        chat_key: Some("chat-a".into()),
        region: Some("06".into()),
        organization: Some("École A".into()),
    }
}

fn join(code: &str, person: &str) -> JoinRequest {
    JoinRequest { code: code.to_owned(), person_key: person.to_owned(), platform: "discord".into(), first_name: None }
}

async fn numbers(store: &Store) -> Vec<i64> {
    store.pledge_rows(CAMPAIGN).await.unwrap().into_iter().map(|r| r.number).collect()
}

fn assert_dense(numbers: &[i64]) {
    let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
    assert_eq!(numbers, expected, "numbers must be 1..N with no gap and no repeat");
}

contract!(
    green_photos_are_counts_with_the_pledgers_region_and_nobodys_key,
    pledges_split_young_people_and_adults_as_they_said,
    pledging_twice_returns_the_first_pledge,
    numbering_is_dense_under_64_concurrent_writers,
    class_clicks_count_each_person_once,
    forget_me_erases_the_person_and_keeps_the_counts,
    purge_erases_campaigns_past_retention,
    exports_have_every_shape_and_no_formula_or_key,
    refusals_change_nothing,
    walls_follow_their_filters_and_hear_every_new_pledge,
    organizer_tokens_see_only_their_scope,
    an_event_is_claimed_once_even_across_a_restart,
    a_poisoned_job_fails_alone_and_its_batch_commits,
    an_unfinished_claim_is_handled_again_and_a_finished_one_never,
    a_counter_location_is_found_by_another_process_and_follows_a_moved_chat,
    one_process_at_a_time_edits_a_counter_and_no_wish_is_lost,
    a_received_event_whose_process_died_is_taken_over_once,
    reports_hide_count_strikes_block_and_restore,
    a_strangers_report_hides_at_once_and_strikes_only_once_confirmed,
    a_store_hears_the_pledges_of_its_own_database_only,
    a_class_teacher_decides_the_class_waiting_messages_and_no_other,
    a_held_card_is_decided_once_by_its_class_and_forgotten_with_its_sender,
    an_approved_card_is_taken_by_one_process_and_gone_once_sent,
    a_senders_profile_block_and_days_cards_come_in_one_read,
);

async fn pledging_twice_returns_the_first_pledge(f: &Fresh) {
    let s = &f.store;
    let first = s.pledge(pledge_req("alice")).await.unwrap();
    assert_eq!((first.number, first.created), (1, true));
    let again = s.pledge(pledge_req("alice")).await.unwrap();
    assert_eq!((again.number, again.created, again.at_ms), (1, false, first.at_ms));
    assert_eq!(s.pledge(pledge_req("bob")).await.unwrap().number, 2);
    // The same update redelivered after a restart: still the first pledge.
    s.close().await;
    let restarted = f.reopen().await;
    let redelivered = restarted.pledge(pledge_req("alice")).await.unwrap();
    assert_eq!((redelivered.number, redelivered.created), (1, false));
    assert_eq!(restarted.count(CAMPAIGN).await.unwrap(), 2);
}

async fn numbering_is_dense_under_64_concurrent_writers(f: &Fresh) {
    let s = &f.store;
    let mut tasks = Vec::new();
    for w in 0..64 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            for i in 0..25 {
                // Writers overlap: person k is pledged by several writers at once.
                let person = format!("p{}", (w * 25 + i) % 1200);
                got.push((person.clone(), s.pledge(pledge_req(&person)).await.unwrap().number));
            }
            got
        }));
    }
    let mut by_person = std::collections::HashMap::new();
    for t in tasks {
        for (person, number) in t.await.unwrap() {
            let first = *by_person.entry(person.clone()).or_insert(number);
            assert_eq!(first, number, "{person} got two numbers");
        }
    }
    assert_eq!(by_person.len(), 1200);
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 1200);
    assert_dense(&numbers(s).await);
    let distinct: BTreeSet<i64> = by_person.values().copied().collect();
    assert_eq!(distinct.len(), 1200);
}

async fn class_clicks_count_each_person_once(f: &Fresh) {
    let s = &f.store;
    // Two pupils pledged alone before the class.
    s.pledge(pledge_req("pupil-0")).await.unwrap();
    s.pledge(pledge_req("pupil-1")).await.unwrap();
    let class = s
        .open_class(NewClass {
            campaign: CAMPAIGN,
            owner_key: "teacher".into(),
            platform: "discord".into(),
            chat_key: Some("chat-5b".into()),
            class_name: "5e année B".into(),
            school: Some("École Saint-Jean".into()),
            region: Some("NUN".into()),
            is_group: false,
        })
        .await
        .unwrap();
    assert_eq!(class.code.len(), ruban_store::CLASS_CODE_LEN);
    assert!(ruban_store::is_class_code(&class.code));
    assert_eq!(s.open_class_in_chat("chat-5b").await.unwrap().unwrap().code, class.code);
    // 30 pupils click within the same instant; a third of them click twice.
    let mut tasks = Vec::new();
    for i in 0..30 {
        for _ in 0..(1 + usize::from(i % 3 == 0)) {
            let (s, code) = (s.clone(), class.code.clone());
            tasks.push(tokio::spawn(async move { s.join_class(join(&code, &format!("pupil-{i}"))).await.unwrap() }));
        }
    }
    let mut newly = 0;
    for t in tasks {
        let j = t.await.unwrap();
        newly += usize::from(j.newly_joined);
        assert!(j.members >= 1 && j.members <= 30);
    }
    assert_eq!(newly, 30);
    // The wave: 2 alone + 28 new from the class; pupils 0 and 1 kept their numbers.
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 30);
    assert_dense(&numbers(s).await);
    assert_eq!(s.pledge_of(CAMPAIGN, "pupil-0").await.unwrap().unwrap().number, 1);
    // Names appear on the badge only for those who agreed.
    s.set_profile("pupil-3", &Profile { public_name: Some("Zoé".into()), locale: None, wall_opt_in: true })
        .await
        .unwrap();
    s.set_profile("pupil-4", &Profile { public_name: Some("Secret".into()), locale: None, wall_opt_in: false })
        .await
        .unwrap();
    assert!(matches!(s.close_class(&class.code, "pupil-3").await, Err(StoreError::NotClassOwner(_))));
    let summary = s.close_class(&class.code, "teacher").await.unwrap();
    assert_eq!(summary.members, 30);
    assert_eq!(summary.names, vec!["Zoé".to_owned()]);
    assert!(!summary.session.is_open);
    assert!(matches!(s.join_class(join(&class.code, "late")).await, Err(StoreError::ClassClosed(_))));
    assert!(matches!(s.join_class(join("nope1234", "late")).await, Err(StoreError::ClassNotFound(_))));
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 30, "refused clicks add nothing");
    // Closing again gives the same summary.
    assert_eq!(s.close_class(&class.code, "teacher").await.unwrap().members, 30);
    let by_region = s.totals(CAMPAIGN, GroupBy::Region).await.unwrap();
    assert_eq!(by_region.iter().find(|r| r.key == "NUN").unwrap().pledges, 28);
}

async fn forget_me_erases_the_person_and_keeps_the_counts(f: &Fresh) {
    let s = &f.store;
    s.set_profile(
        "alice",
        &Profile { public_name: Some("Alice".into()), locale: Some("fr-CA".into()), wall_opt_in: true },
    )
    .await
    .unwrap();
    s.pledge(pledge_req("alice")).await.unwrap();
    s.pledge(pledge_req("bob")).await.unwrap();
    let class = s
        .open_class(NewClass {
            campaign: CAMPAIGN,
            owner_key: "alice".into(),
            platform: "web".into(),
            chat_key: None,
            class_name: "Classe d’Alice".into(),
            school: None,
            region: None,
            is_group: false,
        })
        .await
        .unwrap();
    s.join_class(join(&class.code, "alice")).await.unwrap();
    let wall = s
        .post_wall(&NewWallEntry {
            campaign: CAMPAIGN,
            author_key: Some("alice".into()),
            message: "Lâche pas, Léa!".into(),
            platform: "web".into(),
            region: None,
            organization: None,
        })
        .await
        .unwrap();
    s.record_card(&NewCard {
        campaign: CAMPAIGN,
        sender_key: Some("alice".into()),
        recipient_key: Some("bob".into()),
        design: "oser".into(),
        platform: "web".into(),
        wall_entry: Some(wall),
    })
    .await
    .unwrap();
    assert_eq!(s.wall(CAMPAIGN, 10, false).await.unwrap()[0].author_name.as_deref(), Some("Alice"));

    let report = s.forget("alice").await.unwrap();
    assert_eq!(report.profiles, 1);
    assert_eq!(report.pledges, 1);
    assert_eq!(report.wall_entries, 1);
    assert_eq!(report.memberships, 1);
    assert!(s.profile("alice").await.unwrap().is_none());
    assert!(s.pledge_of(CAMPAIGN, "alice").await.unwrap().is_none());
    assert!(s.wall(CAMPAIGN, 10, true).await.unwrap().is_empty());
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 2, "the anonymous count stays");
    assert_eq!(s.class_summary(&class.code).await.unwrap().members, 1);
    let rows = s.pledge_rows(CAMPAIGN).await.unwrap();
    assert!(rows.iter().all(|r| r.public_name.is_empty()));
    // Nothing in the database still names or links to alice.
    let leftovers = on_every_table(f, "alice").await;
    assert_eq!(leftovers, 0, "rows still holding alice's key");
    // Forgetting again is harmless.
    assert_eq!(s.forget("alice").await.unwrap(), Forgotten::default());
}

/// Counts rows of any table whose key columns hold `key`.
async fn on_every_table(f: &Fresh, key: &str) -> i64 {
    let q = "SELECT (SELECT COUNT(*) FROM people WHERE person_key = $1) \
             + (SELECT COUNT(*) FROM pledges WHERE person_key = $1) \
             + (SELECT COUNT(*) FROM class_members WHERE person_key = $1) \
             + (SELECT COUNT(*) FROM class_sessions WHERE owner_key = $1) \
             + (SELECT COUNT(*) FROM wall_entries WHERE author_key = $1) \
             + (SELECT COUNT(*) FROM cards WHERE sender_key = $1 OR recipient_key = $1)";
    match f.store.db() {
        Db::Sqlite { write, .. } => sqlx::query_scalar(q).bind(key).fetch_one(write).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_scalar::<_, i64>(q).bind(key).fetch_one(pool).await.unwrap(),
    }
}

async fn purge_erases_campaigns_past_retention(f: &Fresh) {
    let s = &f.store;
    s.set_profile("carla", &Profile { public_name: Some("Carla".into()), locale: None, wall_opt_in: true })
        .await
        .unwrap();
    s.pledge(pledge_req("carla")).await.unwrap();
    s.pledge(pledge_req("dan")).await.unwrap();
    s.post_wall(&NewWallEntry {
        campaign: CAMPAIGN,
        author_key: Some("carla".into()),
        message: "Bravo à tous!".into(),
        platform: "telegram".into(),
        region: Some("06".into()),
        organization: None,
    })
    .await
    .unwrap();
    let before = s.totals(CAMPAIGN, GroupBy::Region).await.unwrap();
    // Before the retention date: nothing happens.
    let retention = ruban_vocabulary::Campaign::embedded().retention_until;
    assert!(s.purge(retention).await.unwrap().is_empty());
    assert_eq!(on_every_table(f, "carla").await, 3);
    // The day after: personal data goes, totals stay.
    let after_date = retention.next_day().unwrap();
    assert_eq!(s.purge(after_date).await.unwrap(), vec![CAMPAIGN]);
    assert_eq!(on_every_table(f, "carla").await, 0);
    assert_eq!(on_every_table(f, "dan").await, 0);
    assert!(s.wall(CAMPAIGN, 10, true).await.unwrap().is_empty());
    assert_eq!(s.totals(CAMPAIGN, GroupBy::Region).await.unwrap(), before);
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 2);
    // Purging twice is harmless.
    assert!(s.purge(after_date).await.unwrap().is_empty());
    // A late pledge to a campaign past retention goes at the next run.
    s.pledge(pledge_req("late")).await.unwrap();
    assert_eq!(s.purge(after_date).await.unwrap(), vec![CAMPAIGN]);
    assert_eq!(on_every_table(f, "late").await, 0);
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 3);
}

async fn exports_have_every_shape_and_no_formula_or_key(f: &Fresh) {
    let s = &f.store;
    let mut req = pledge_req("k-secret-person-1");
    req.organization = Some("=HYPERLINK(\"http://evil\")".into());
    req.chat_key = Some("k-secret-chat".into());
    s.pledge(req).await.unwrap();
    s.pledge(pledge_req("k-secret-person-2")).await.unwrap();
    let mut web = pledge_req("k-secret-person-3");
    web.platform = "web".into();
    web.region = None;
    web.organization = None;
    web.chat_key = None;
    s.pledge(web).await.unwrap();
    s.record_card(&NewCard {
        campaign: CAMPAIGN,
        sender_key: Some("k-secret-person-1".into()),
        recipient_key: None,
        design: "celebrer".into(),
        platform: "telegram".into(),
        wall_entry: None,
    })
    .await
    .unwrap();

    let today = clock::day_string(s.clock().today());
    let by_day = s.totals(CAMPAIGN, GroupBy::Day).await.unwrap();
    // The five days of the week are there, PerséVERT Thursday marked.
    for d in ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"] {
        assert!(by_day.iter().any(|r| r.key == d), "{d} missing");
    }
    assert_eq!(
        by_day.iter().filter(|r| r.persevert == Some(true)).map(|r| r.key.as_str()).collect::<Vec<_>>(),
        ["2026-02-19"]
    );
    let t = by_day.iter().find(|r| r.key == today).unwrap();
    assert_eq!((t.pledges, t.cards), (3, Some(1)));

    let by_platform = s.totals(CAMPAIGN, GroupBy::Platform).await.unwrap();
    assert_eq!(
        by_platform.iter().map(|r| (r.key.as_str(), r.pledges, r.cards)).collect::<Vec<_>>(),
        [("telegram", 2, Some(1)), ("web", 1, Some(0))]
    );
    let by_region = s.totals(CAMPAIGN, GroupBy::Region).await.unwrap();
    assert_eq!(by_region.len(), 19, "18 regions and the unspecified line");
    assert_eq!(by_region.iter().find(|r| r.key == "06").unwrap().pledges, 2);
    let by_org = s.totals(CAMPAIGN, GroupBy::Organization).await.unwrap();
    assert_eq!(by_org.iter().map(|r| r.pledges).sum::<i64>(), 3);
    let by_chat = s.totals(CAMPAIGN, GroupBy::Chat).await.unwrap();
    assert_eq!(by_chat.iter().map(|r| r.pledges).sum::<i64>(), 3);

    let mut everything = String::new();
    for by in [GroupBy::Day, GroupBy::Region, GroupBy::Organization, GroupBy::Platform, GroupBy::Chat] {
        let rows = s.totals(CAMPAIGN, by).await.unwrap();
        for format in [
            ExportFormat::Csv { excel: false, semicolon: false },
            ExportFormat::Csv { excel: true, semicolon: false },
            ExportFormat::Csv { excel: true, semicolon: true },
            ExportFormat::Json,
        ] {
            let mut out = Vec::new();
            write_totals(&mut out, CAMPAIGN, by, &rows, format).unwrap();
            let text = String::from_utf8(out).unwrap();
            match format {
                ExportFormat::Json => {
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(v["rows"].as_array().unwrap().len(), rows.len());
                }
                ExportFormat::Csv { excel, semicolon } => {
                    assert_eq!(text.starts_with('\u{FEFF}'), excel);
                    let first_line = text.lines().next().unwrap_or_default();
                    assert_eq!(first_line.contains(';'), semicolon, "{first_line}");
                    let mut r = csv::ReaderBuilder::new()
                        .delimiter(if semicolon { b';' } else { b',' })
                        .from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
                    let header = r.headers().unwrap().clone();
                    // The `;` flavour is for Excel in French: French headers.
                    assert_eq!(&header[0], if semicolon { "clé" } else { "key" });
                    let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
                    assert_eq!(records.len(), rows.len());
                    for rec in &records {
                        for cell in rec {
                            assert!(!cell.starts_with(['=', '+', '-', '@']), "formula cell {cell:?}");
                        }
                    }
                }
            }
            everything.push_str(&text);
        }
    }
    let rows = s.pledge_rows(CAMPAIGN).await.unwrap();
    let mut out = Vec::new();
    write_pledges(&mut out, CAMPAIGN, &rows, ExportFormat::Csv { excel: false, semicolon: false }).unwrap();
    everything.push_str(&String::from_utf8(out).unwrap());
    assert!(everything.contains("'=HYPERLINK"), "the formula is kept, neutralised");
    assert!(!everything.contains("k-secret"), "exports must never contain keys");
}

async fn refusals_change_nothing(f: &Fresh) {
    let s = &f.store;
    let mut bad_region = pledge_req("eve");
    bad_region.region = Some("99".into());
    assert!(matches!(s.pledge(bad_region).await, Err(StoreError::UnknownRegion(_))));
    let mut bad_campaign = pledge_req("eve");
    bad_campaign.campaign = 1999;
    assert!(matches!(s.pledge(bad_campaign).await, Err(StoreError::UnknownCampaign(1999))));
    assert_eq!(s.count(CAMPAIGN).await.unwrap(), 0);
    assert!(s.pledge_rows(CAMPAIGN).await.unwrap().is_empty());
}

async fn walls_follow_their_filters_and_hear_every_new_pledge(f: &Fresh) {
    let s = &f.store;
    let mut events = s.subscribe();
    s.set_profile("ana", &Profile { public_name: Some("Ana".into()), locale: None, wall_opt_in: true }).await.unwrap();
    s.set_profile("ben", &Profile { public_name: Some("Ben".into()), locale: None, wall_opt_in: false }).await.unwrap();
    s.pledge(pledge_req("ana")).await.unwrap();
    s.pledge(pledge_req("ana")).await.unwrap(); // a repeat: no event
    let mut other = pledge_req("ben");
    other.region = Some("NUN".into());
    other.organization = Some("École Ulluriaq".into());
    s.pledge(other).await.unwrap();
    let class = s
        .open_class(NewClass {
            campaign: CAMPAIGN,
            owner_key: "t".into(),
            platform: "web".into(),
            chat_key: None,
            class_name: "6e".into(),
            school: Some("École A".into()),
            region: Some("06".into()),
            is_group: false,
        })
        .await
        .unwrap();
    s.join_class(join(&class.code, "cam")).await.unwrap();
    // On PostgreSQL events come back through LISTEN/NOTIFY, a moment after the commit.
    let mut got = Vec::new();
    while got.len() < 3 {
        match tokio::time::timeout(std::time::Duration::from_secs(5), events.recv()).await {
            Ok(Ok(e)) => got.push(e),
            _ => break,
        }
    }
    // Events arrive in commit order, and the repeat came between the first two pledges: had it
    // made an event, the third event here would not be the class's pledge number 3. (No sleep
    // stands for "nothing happened".)
    assert_eq!(got.len(), 3, "{got:?}");
    let numbers: Vec<i64> =
        got.iter().map(|e| if let StoreEvent::Pledge { number, .. } = e { *number } else { 0 }).collect();
    assert_eq!(numbers, [1, 2, 3], "{got:?}");
    assert!(
        matches!(&got[2], StoreEvent::Pledge { number: 3, class: Some(c), .. } if Some(c) == class.public_id.as_ref())
    );

    let all = s.wall_stats(CAMPAIGN, &WallFilter::default()).await.unwrap();
    assert_eq!((all.total, all.today), (3, 3));
    assert_eq!(all.regions.len(), 18);
    assert_eq!(all.regions.iter().find(|(c, _)| c == "06").unwrap().1, 2);
    // Names only for people who agreed, newest first.
    assert_eq!(all.latest_pledges.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>(), [None, None, Some("Ana".into())]);
    let nunavik = WallFilter { region: Some("NUN".into()), ..WallFilter::default() };
    assert_eq!(s.wall_stats(CAMPAIGN, &nunavik).await.unwrap().total, 1);
    assert!(nunavik.matches(&got[1]) && !nunavik.matches(&got[0]));
    let school = WallFilter { school: Some("École A".into()), ..WallFilter::default() };
    assert_eq!(s.wall_stats(CAMPAIGN, &school).await.unwrap().total, 2);
    let by_class = WallFilter { class: class.public_id.clone(), ..WallFilter::default() };
    assert_eq!(s.wall_stats(CAMPAIGN, &by_class).await.unwrap().total, 1);
    assert!(by_class.matches(&got[2]) && !by_class.matches(&got[0]));
}

async fn organizer_tokens_see_only_their_scope(f: &Fresh) {
    let s = &f.store;
    let mut mtl = pledge_req("m1");
    mtl.organization = Some("École A".into());
    s.pledge(mtl).await.unwrap();
    let mut nun = pledge_req("n1");
    nun.region = Some("NUN".into());
    nun.organization = Some("École Ulluriaq".into());
    s.pledge(nun).await.unwrap();
    let region = s.add_organizer_token(&Scope::Region("NUN".into()), Some("Kativik")).await.unwrap();
    let school = s.add_organizer_token(&Scope::Organization("École A".into()), None).await.unwrap();
    let all = s.add_organizer_token(&Scope::All, None).await.unwrap();
    assert_ne!(region, school);
    assert_eq!(s.organizer_scope(&region).await.unwrap(), Some(Scope::Region("NUN".into())));
    assert_eq!(s.organizer_scope(&all).await.unwrap(), Some(Scope::All));
    assert_eq!(s.organizer_scope("not-a-token").await.unwrap(), None);
    assert!(matches!(
        s.add_organizer_token(&Scope::Region("99".into()), None).await,
        Err(StoreError::UnknownRegion(_))
    ));

    let scoped = |scope: Scope| async move {
        let rows = f.store.pledge_rows_in(CAMPAIGN, &scope.filter()).await.unwrap();
        rows.into_iter().map(|r| r.organization).collect::<Vec<_>>()
    };
    assert_eq!(scoped(Scope::Region("NUN".into())).await, ["École Ulluriaq"]);
    assert_eq!(scoped(Scope::Organization("École A".into())).await, ["École A"]);
    assert_eq!(scoped(Scope::All).await.len(), 2);
    let by_day = s.totals_in(CAMPAIGN, GroupBy::Day, &Scope::Region("NUN".into()).filter()).await.unwrap();
    assert_eq!(by_day.iter().map(|r| r.pledges).sum::<i64>(), 1);
    assert!(by_day.iter().all(|r| r.cards.is_none()), "cards have no region: not counted in a scope");
    let by_org = s.totals_in(CAMPAIGN, GroupBy::Organization, &Scope::Region("NUN".into()).filter()).await.unwrap();
    assert_eq!(by_org.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["École Ulluriaq"]);
}

async fn an_event_is_claimed_once_even_across_a_restart(f: &Fresh) {
    let s = &f.store;
    // Eight processes (tasks) race for the same update: exactly one wins.
    let wins = futures_join(s, "telegram:42:1001").await;
    assert_eq!(wins, 1);
    assert!(s.first_delivery("telegram:42:1002").await.unwrap());
    s.close().await;
    let restarted = f.reopen().await;
    assert!(!restarted.first_delivery("telegram:42:1001").await.unwrap());
    assert!(!restarted.first_delivery("telegram:42:1002").await.unwrap());
    assert!(restarted.first_delivery("discord:1001").await.unwrap());
    // Old claims are forgotten; fresh ones stay.
    assert_eq!(restarted.forget_deliveries(3_600_000).await.unwrap(), 0);
    assert_eq!(restarted.forget_deliveries(-1).await.unwrap(), 3);
    assert!(restarted.first_delivery("telegram:42:1001").await.unwrap());
}

async fn futures_join(s: &Store, key: &str) -> usize {
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let s = s.clone();
            let key = key.to_owned();
            tokio::spawn(async move { s.first_delivery(&key).await.unwrap() })
        })
        .collect();
    let mut wins = 0;
    for t in tasks {
        wins += usize::from(t.await.unwrap());
    }
    wins
}

/// Regression (issue 13): on PostgreSQL one class click whose code carried a NUL byte failed
/// the writer's whole group commit, so ordinary pledges batched with it failed too. Jobs the
/// database refuses are submitted straight to the store here (bypassing the core's checks):
/// a NUL in a class code (refused by PostgreSQL) and a card for a campaign that does not exist
/// (a foreign key, refused by both backends), interleaved with 50 good pledges.
async fn a_poisoned_job_fails_alone_and_its_batch_commits(f: &Fresh) {
    let s = &f.store;
    // One pledge first, so the campaign is known and every job below goes straight to the
    // writer, into the same batches (good0 pledges again below and keeps number 1).
    assert_eq!(s.pledge(pledge_req("good0")).await.unwrap().number, 1);
    enum Done {
        Pledged(Result<Pledge>),
        Poison(&'static str, bool),
    }
    let mut jobs: Vec<std::pin::Pin<Box<dyn std::future::Future<Output = Done> + Send>>> = Vec::new();
    for i in 0..50 {
        let g = s.clone();
        jobs.push(Box::pin(async move { Done::Pledged(g.pledge(pledge_req(&format!("good{i}"))).await) }));
        if i % 10 == 5 {
            let n = s.clone();
            jobs.push(Box::pin(async move {
                Done::Poison("NUL code", n.join_class(join("j\0x", &format!("bad{i}"))).await.is_err())
            }));
            let c = s.clone();
            jobs.push(Box::pin(async move {
                let card = NewCard {
                    campaign: 1900,
                    sender_key: Some(format!("bad{i}")),
                    recipient_key: None,
                    design: "encourager".into(),
                    platform: "web".into(),
                    wall_entry: None,
                };
                Done::Poison("unknown campaign", c.record_card(&card).await.is_err())
            }));
        }
    }
    // Polled together: every job is queued before the writer's next batch closes.
    let done = futures_util::future::join_all(jobs).await;
    let mut good = Vec::new();
    for d in done {
        match d {
            Done::Pledged(p) => good.push(p.expect("a good pledge batched with a bad job must succeed").number),
            Done::Poison(what, failed) => assert!(failed, "the {what} job must be answered with an error"),
        }
    }
    good.sort_unstable();
    assert_dense(&good);
    assert_eq!(good.len(), 50);
    let mut stored = numbers(s).await;
    stored.sort_unstable();
    assert_eq!(stored, good, "exactly the 50 good pledges are committed, nothing of the bad jobs");
}

/// Issue 20: a claim whose handling never finished (the process died between the claim and
/// the reply) is claimed again on the next delivery; a finished one is not; `first_delivery`
/// (Discord's at-most-once) never takes over.
async fn an_unfinished_claim_is_handled_again_and_a_finished_one_never(f: &Fresh) {
    let s = &f.store;
    assert!(s.claim_delivery("telegram:42:2001").await.unwrap());
    assert!(s.claim_delivery("telegram:42:2002").await.unwrap());
    s.delivered("telegram:42:2002").await.unwrap();
    s.close().await;
    let restarted = f.reopen().await;
    assert!(restarted.claim_delivery("telegram:42:2001").await.unwrap(), "unfinished: handled again");
    assert!(!restarted.claim_delivery("telegram:42:2002").await.unwrap(), "finished: never again");
    assert!(!restarted.first_delivery("telegram:42:2001").await.unwrap(), "at most once never takes over");
    restarted.delivered("telegram:42:2001").await.unwrap();
    assert!(!restarted.claim_delivery("telegram:42:2001").await.unwrap());
}

/// Issue 20: where a counter lives is found from any process, and a chat that moved (a group
/// upgraded to a supergroup) takes its classes along and forgets its old messages.
async fn a_counter_location_is_found_by_another_process_and_follows_a_moved_chat(f: &Fresh) {
    let s = &f.store;
    let at = ruban_store::MessageLocation { chat: "-100".into(), message: "7".into() };
    s.set_message_location("telegram:class-abcd2345", &at, 0, Some("fr-CA")).await.unwrap();
    let class = s
        .open_class(NewClass {
            campaign: CAMPAIGN,
            owner_key: "prof".into(),
            platform: "telegram".into(),
            chat_key: Some("chat-old".into()),
            class_name: "5e B".into(),
            school: None,
            region: None,
            is_group: false,
        })
        .await
        .unwrap();
    s.close().await;
    let other = f.reopen().await;
    assert_eq!(other.message_location("telegram:class-abcd2345").await.unwrap(), Some(at));
    assert_eq!(other.message_location("telegram:class-none").await.unwrap(), None);
    other.move_chat("chat-old", "chat-new", "-100").await.unwrap();
    assert_eq!(other.open_class_in_chat("chat-new").await.unwrap().map(|c| c.code), Some(class.code));
    assert!(other.open_class_in_chat("chat-old").await.unwrap().is_none());
    assert_eq!(other.message_location("telegram:class-abcd2345").await.unwrap(), None);
}

/// Two processes (two stores on one database) want the same counter edited: one holds the
/// lease, the other's wish is kept, and the holder lets go only once nothing newer is wanted.
async fn one_process_at_a_time_edits_a_counter_and_no_wish_is_lost(f: &Fresh) {
    use ruban_store::EditTurn;
    let a = &f.store;
    let b = f.reopen().await;
    let key = "telegram:class-lease234";
    let at = ruban_store::MessageLocation { chat: "-100".into(), message: "9".into() };
    assert_eq!(a.want_edit(key, 2, "A", 10_000).await.unwrap(), EditTurn::Unknown, "nowhere yet");
    a.set_message_location(key, &at, 0, Some("en-CA")).await.unwrap();
    assert_eq!(a.want_edit(key, 0, "A", 10_000).await.unwrap(), EditTurn::Shown, "already shows it");
    let mine = a.want_edit(key, 2, "A", 10_000).await.unwrap();
    assert_eq!(mine, EditTurn::Mine { at: at.clone(), shown: 0, locale: Some("en-CA".into()) });
    // B's click while A edits: B does not edit, its wish is recorded.
    assert!(matches!(b.want_edit(key, 4, "B", 10_000).await.unwrap(), EditTurn::Theirs { .. }));
    // A showed 2; 4 is wanted: A must go on.
    assert!(!a.edit_done(key, "A", 2, 10_000).await.unwrap(), "a newer state is wanted");
    assert!(a.edit_done(key, "A", 4, 10_000).await.unwrap(), "nothing newer: A lets go");
    assert_eq!(b.want_edit(key, 4, "B", 10_000).await.unwrap(), EditTurn::Shown);
    // A holder that died: its lease runs out and B takes it.
    assert!(matches!(a.want_edit(key, 6, "A", 1).await.unwrap(), EditTurn::Mine { shown: 4, .. }));
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert!(matches!(b.want_edit(key, 8, "B", 10_000).await.unwrap(), EditTurn::Mine { shown: 4, .. }));
    // A wakes up: its lease is gone, it stops, and B's work goes on.
    assert!(a.edit_done(key, "A", 6, 10_000).await.unwrap(), "A lost the lease");
    assert!(!b.edit_done(key, "B", 6, 10_000).await.unwrap(), "8 is wanted");
    // A posted anew (another chat): the lease is reset and what it shows is the new post's.
    b.set_message_location(key, &at, 8, None).await.unwrap();
    assert_eq!(a.want_edit(key, 8, "A", 10_000).await.unwrap(), EditTurn::Shown);
    b.edit_abandoned(key, "B").await.unwrap();
    b.close().await;
}

/// Issue 20: an event received with its content (before it was acknowledged) whose process
/// died is taken over by one other process once its lease ran out, never while it runs, never
/// once it finished; a redelivery does not take it from a live holder.
async fn a_received_event_whose_process_died_is_taken_over_once(f: &Fresh) {
    let a = &f.store;
    let b = f.reopen().await;
    // Process A receives three updates; it will finish only the second.
    assert!(a.receive_event("telegram:42:3001", "{\"update_id\":3001}", 200).await.unwrap());
    assert!(a.receive_event("telegram:42:3002", "{\"update_id\":3002}", 200).await.unwrap());
    assert!(a.receive_event("telegram:42:3003", "{\"update_id\":3003}", 60_000).await.unwrap());
    assert!(!b.receive_event("telegram:42:3001", "{\"update_id\":3001}", 200).await.unwrap(), "A holds it");
    assert!(b.take_unfinished("telegram:42:", 60_000, 10).await.unwrap().is_empty(), "leases still run");
    a.delivered("telegram:42:3002").await.unwrap();
    a.close().await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // B and a third process look at once: each unfinished, expired event goes to one of them.
    let c = f.reopen().await;
    let (from_b, from_c) =
        tokio::join!(b.take_unfinished("telegram:42:", 60_000, 10), c.take_unfinished("telegram:42:", 60_000, 10));
    let mut taken: Vec<_> = from_b.unwrap().into_iter().chain(from_c.unwrap()).collect();
    taken.sort_by(|x, y| x.event_key.cmp(&y.event_key));
    assert_eq!(
        taken,
        vec![ruban_store::Unfinished { event_key: "telegram:42:3001".into(), payload: "{\"update_id\":3001}".into() }],
        "only the expired unfinished one, once; not the finished one, not the one whose lease runs"
    );
    assert!(b.take_unfinished("telegram:42:", 60_000, 10).await.unwrap().is_empty(), "taken: leased again");
    assert!(b.take_unfinished("discord:", 0, 10).await.unwrap().is_empty(), "only the prefix asked for");
    assert!(!b.receive_event("telegram:42:3002", "{}", 200).await.unwrap(), "finished: never again");
    b.delivered("telegram:42:3001").await.unwrap();
    assert!(!c.receive_event("telegram:42:3001", "{}", 200).await.unwrap());
    b.close().await;
    c.close().await;
}

/// Issue 14: a report hides the card's wall entry and counts one strike per card (a second
/// report of the same card by the same person changes nothing); a third reported card blocks
/// the sender; restoring a mistaken one brings its entry back and lifts that block; an
/// organizer's block stays; the queue reads the words from the wall; a purge takes it all.
/// A card from `sender` whose message is on the wall.
async fn card_on_wall(s: &Store, sender: &str, message: &str) -> ReportedCard {
    let entry = s
        .post_wall(&NewWallEntry {
            campaign: CAMPAIGN,
            author_key: Some(sender.into()),
            message: message.into(),
            platform: "telegram".into(),
            region: None,
            organization: None,
        })
        .await
        .unwrap();
    let id = s
        .record_card(&NewCard {
            campaign: CAMPAIGN,
            sender_key: Some(sender.into()),
            recipient_key: Some("zoe".into()),
            design: "oser".into(),
            platform: "telegram".into(),
            wall_entry: None,
        })
        .await
        .unwrap();
    s.link_card_to_wall(id, entry).await.unwrap();
    s.card_for_report(id).await.unwrap().unwrap()
}

async fn reports_hide_count_strikes_block_and_restore(f: &Fresh) {
    let s = &f.store;
    let mut cards = Vec::new();
    for i in 0..3 {
        cards.push(card_on_wall(s, "bully", &format!("message {i}")).await);
    }
    let visible = |s: &Store| {
        let s = s.clone();
        async move { s.wall(CAMPAIGN, 50, false).await.unwrap().into_iter().map(|e| e.message).collect::<Vec<_>>() }
    };
    assert_eq!(visible(s).await.len(), 3);
    let first = s.report_card(&cards[0], "zoe", "telegram").await.unwrap();
    assert_eq!(first, Reported { new: true, blocked: false });
    assert_eq!(s.report_card(&cards[0], "zoe", "telegram").await.unwrap(), Reported { new: false, blocked: false });
    assert!(!visible(s).await.contains(&"message 0".to_owned()), "hidden at once");
    s.report_card(&cards[1], "zoe", "telegram").await.unwrap();
    assert!(!s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked, "two strikes");
    let third = s.report_card(&cards[2], "prof", "telegram").await.unwrap();
    assert_eq!(third, Reported { new: true, blocked: true });
    assert!(s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked);
    let queue = s.reports(CAMPAIGN, 10).await.unwrap();
    assert_eq!(queue.len(), 3);
    assert!(queue.iter().all(|r| r.strikes == 3 && r.blocked && r.state == "open"), "{queue:?}");
    assert_eq!(queue.iter().filter_map(|r| r.message.clone()).collect::<BTreeSet<_>>().len(), 3, "{queue:?}");
    // A mistaken report: back on the wall, two strikes, unblocked.
    let mistaken = queue.iter().find(|r| r.message.as_deref() == Some("message 2")).unwrap();
    assert!(s.review_report(mistaken.id, Review::Restore).await.unwrap());
    assert!(visible(s).await.contains(&"message 2".to_owned()));
    assert!(!s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked);
    // An organizer's block is not lifted by restoring another.
    let kept = queue.iter().find(|r| r.message.as_deref() == Some("message 0")).unwrap();
    assert!(s.review_report(kept.id, Review::Block).await.unwrap());
    let other = queue.iter().find(|r| r.message.as_deref() == Some("message 1")).unwrap();
    assert!(s.review_report(other.id, Review::Restore).await.unwrap());
    assert!(s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked, "the organizer's decision stays");
    assert!(!s.review_report(999_999, Review::Hide).await.unwrap());
    s.purge(ruban_vocabulary::Campaign::embedded().retention_until.next_day().unwrap()).await.unwrap();
    assert!(s.reports(CAMPAIGN, 10).await.unwrap().is_empty(), "purged with the campaign");
    assert!(!s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked);
}

/// Issue 14: on the wall page anyone may report an entry. It leaves the wall at once (on
/// every process: the store says so), but a passer-by's report is no strike until an
/// organizer keeps it hidden; five reports an hour per client, the sixth changes nothing;
/// an entry no longer shown cannot be reported.
async fn a_strangers_report_hides_at_once_and_strikes_only_once_confirmed(f: &Fresh) {
    let s = &f.store;
    let other = f.reopen().await;
    let mut cards = Vec::new();
    for i in 0..6 {
        cards.push(card_on_wall(s, "bully", &format!("entry {i}")).await);
    }
    let entry = |i: usize| cards[i].wall_entry.unwrap();
    let shown = |s: &Store| {
        let s = s.clone();
        async move { s.wall(CAMPAIGN, 50, false).await.unwrap().into_iter().map(|e| e.message).collect::<Vec<_>>() }
    };
    for i in 0..3 {
        assert_eq!(s.report_wall_entry(entry(i), "client-a").await.unwrap(), WallReport::Hidden);
    }
    assert_eq!(shown(&other).await.len(), 3, "gone for the other process too");
    assert!(!s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked, "three strangers' reports block nobody");
    let queue = other.reports(CAMPAIGN, 10).await.unwrap();
    assert_eq!(queue.len(), 3);
    assert!(queue.iter().all(|r| r.stranger && r.strikes == 0 && r.platform == "wall"), "{queue:?}");
    assert_eq!(s.report_wall_entry(entry(0), "client-a").await.unwrap(), WallReport::NotOnWall, "already hidden");
    assert_eq!(s.report_wall_entry(999_999, "client-b").await.unwrap(), WallReport::NotOnWall);

    // An entry an organizer restored stays: reporting it again hides nothing.
    assert_eq!(s.report_wall_entry(entry(3), "client-a").await.unwrap(), WallReport::Hidden);
    let restored = s.reports(CAMPAIGN, 10).await.unwrap().into_iter().find(|r| r.message.as_deref() == Some("entry 3"));
    assert!(s.review_report(restored.unwrap().id, Review::Restore).await.unwrap());
    assert_eq!(other.report_wall_entry(entry(3), "client-a").await.unwrap(), WallReport::Already);
    assert_eq!(other.report_wall_entry(entry(3), "client-c").await.unwrap(), WallReport::Already);
    assert!(shown(s).await.contains(&"entry 3".to_owned()), "the organizer's decision stands");

    // The same client's fifth goes through; the sixth in the hour changes nothing.
    assert_eq!(s.report_wall_entry(entry(4), "client-a").await.unwrap(), WallReport::Hidden);
    assert_eq!(other.report_wall_entry(entry(5), "client-a").await.unwrap(), WallReport::TooMany);
    assert!(shown(s).await.contains(&"entry 5".to_owned()));
    assert_eq!(s.report_wall_entry(entry(5), "client-b").await.unwrap(), WallReport::Hidden, "another client may");

    // Kept hidden by an organizer, a stranger's report counts: the third confirmed one blocks.
    let queue = s.reports(CAMPAIGN, 10).await.unwrap();
    let report_of = |i: usize| queue.iter().find(|r| r.message.as_deref() == Some(&format!("entry {i}"))).unwrap().id;
    assert!(s.review_report(report_of(0), Review::Hide).await.unwrap());
    assert!(s.review_report(report_of(1), Review::Hide).await.unwrap());
    assert!(!s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked, "two confirmed");
    assert!(s.review_report(report_of(2), Review::Hide).await.unwrap());
    assert!(other.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked, "the third confirmed strike blocks");
    let queue = s.reports(CAMPAIGN, 10).await.unwrap();
    assert!(queue.iter().all(|r| r.strikes == 3 && r.blocked), "{queue:?}");
    // A mistaken one restored: back on the wall, the block lifted.
    assert!(s.review_report(report_of(2), Review::Restore).await.unwrap());
    assert!(shown(s).await.contains(&"entry 2".to_owned()));
    assert!(!s.sender(Some(CAMPAIGN), "bully", "").await.unwrap().blocked);
    other.close().await;
}

/// Regression (issue 19): PostgreSQL's notification channels belong to the whole database, and
/// every store listened on one, so a wall heard the pledges of every other schema (another
/// deployment, or a test running beside this one) in the same database.
async fn a_store_hears_the_pledges_of_its_own_database_only(f: &Fresh) {
    let s = &f.store;
    let mut mine = s.subscribe();
    // Another database (another schema of the same PostgreSQL database, another SQLite file)
    // takes two pledges, and its own wall hears both before this one pledges.
    let other = ruban_tests::store::fresh(f.schema.is_some()).await.unwrap();
    let mut theirs = other.store.subscribe();
    for person in ["x", "y"] {
        let mut req = pledge_req(person);
        req.region = Some("03".into());
        other.store.pledge(req).await.unwrap();
    }
    let wait = std::time::Duration::from_secs(10);
    loop {
        let event = tokio::time::timeout(wait, theirs.recv()).await.expect("the other wall hears its pledges").unwrap();
        if matches!(event, StoreEvent::Pledge { number: 2, .. }) {
            break;
        }
    }
    s.pledge(pledge_req("ana")).await.unwrap();
    // Events come in order: had this wall heard the other's pledges, they would come first.
    let first = tokio::time::timeout(wait, mine.recv()).await.expect("this wall hears its pledge").unwrap();
    assert!(
        matches!(&first, StoreEvent::Pledge { number: 1, region: Some(r), .. } if r == "06"),
        "this wall heard another database's pledge: {first:?}"
    );
    other.cleanup().await;
}

/// Issues 13 and 14: a class's teacher access. Its code is a secret of its own; a message of a
/// class that asked for approval waits, named by its class; the class's teacher (and only they)
/// shows it or keeps it hidden, once.
async fn a_class_teacher_decides_the_class_waiting_messages_and_no_other(f: &Fresh) {
    let open = |name: &str, chat: &str| NewClass {
        campaign: CAMPAIGN,
        owner_key: "teacher".into(),
        platform: "telegram".into(),
        chat_key: Some(chat.into()),
        class_name: name.into(),
        school: None,
        region: None,
        is_group: false,
    };
    let a = f.store.open_class(open("5e B", "chat-a")).await.unwrap();
    let b = f.store.open_class(open("6e A", "chat-b")).await.unwrap();
    let (ta, tb) =
        (f.store.teacher_code(&a.code).await.unwrap().unwrap(), f.store.teacher_code(&b.code).await.unwrap().unwrap());
    assert!(is_class_code(&ta) && ta != tb && ta != a.code && ta != a.link(), "a secret of its own: {ta}");
    assert_eq!(f.store.class_for_teacher(&ta).await.unwrap().unwrap().code, a.code);
    for wrong in [a.code.as_str(), a.link(), "aaaaaaaaaaaaaaaaa", "\u{0}"] {
        assert!(f.store.class_for_teacher(wrong).await.unwrap().is_none(), "{wrong:?}");
    }

    assert_eq!(f.store.premoderated_class("chat-a").await.unwrap(), None);
    assert!(f.store.set_class_premoderated(&a.code, true).await.unwrap());
    assert_eq!(f.store.premoderated_class("chat-a").await.unwrap().as_deref(), Some(a.code.as_str()));
    let entry = |message: &str| NewWallEntry {
        campaign: CAMPAIGN,
        author_key: Some("pupil".into()),
        message: message.into(),
        platform: "telegram".into(),
        region: None,
        organization: None,
    };
    let bravo = f.store.post_wall_for_approval(&entry("Bravo!"), &a.code).await.unwrap();
    let capable = f.store.post_wall_for_approval(&entry("Tu es capable"), &a.code).await.unwrap();
    let shown = |items: Vec<WallItem>| items.into_iter().map(|i| i.message).collect::<Vec<_>>();
    assert!(shown(f.store.wall(CAMPAIGN, 10, false).await.unwrap()).is_empty(), "nothing shows before approval");
    let waiting: Vec<i64> = f.store.awaiting_in_class(&a.code, 10).await.unwrap().into_iter().map(|w| w.0).collect();
    assert_eq!(waiting, [bravo, capable], "the oldest first");
    assert!(f.store.awaiting_in_class(&b.code, 10).await.unwrap().is_empty());

    // Another class's teacher decides nothing here; this class's teacher decides once.
    assert!(!f.store.review_in_class(&b.code, bravo, true).await.unwrap());
    let mut events = f.store.subscribe();
    assert!(f.store.review_in_class(&a.code, bravo, true).await.unwrap());
    assert!(f.store.review_in_class(&a.code, capable, false).await.unwrap());
    assert!(!f.store.review_in_class(&a.code, capable, true).await.unwrap(), "a decision stands");
    assert_eq!(shown(f.store.wall(CAMPAIGN, 10, false).await.unwrap()), ["Bravo!"]);
    assert!(f.store.awaiting_in_class(&a.code, 10).await.unwrap().is_empty());
    // The approval reached open walls (on PostgreSQL, through LISTEN, from any process).
    loop {
        let e = tokio::time::timeout(ruban_tests::PATIENCE, events.recv()).await.expect("a wall event").unwrap();
        if matches!(e, StoreEvent::Wall { campaign } if campaign == CAMPAIGN) {
            break;
        }
    }
}

/// Issue 15: a photo framed with `/vert` is one row of counts: the region the person chose
/// when they pledged (read, not kept with them), the class when framed on a class page, and
/// no key; forget-me leaves the wave as it is.
async fn green_photos_are_counts_with_the_pledgers_region_and_nobodys_key(f: &Fresh) {
    let s = &f.store;
    s.pledge(pledge_req("alice")).await.unwrap();
    let photo = |person: Option<&str>, class: Option<&str>| GreenPhoto {
        campaign: CAMPAIGN,
        platform: "telegram".into(),
        person_key: person.map(str::to_owned),
        class_code: class.map(str::to_owned),
    };
    s.count_green_photo(&photo(Some("alice"), None)).await.unwrap();
    s.count_green_photo(&photo(Some("alice"), None)).await.unwrap();
    s.count_green_photo(&photo(Some("nobody-pledged"), Some("abcd2345"))).await.unwrap();
    s.count_green_photo(&photo(None, None)).await.unwrap();
    assert_eq!(s.green_photos(CAMPAIGN).await.unwrap(), 4);
    assert_eq!(s.green_photos(CAMPAIGN + 1).await.unwrap(), 0, "another campaign's wave is its own");
    assert_eq!(
        s.green_photos_by_region(CAMPAIGN).await.unwrap(),
        vec![(Some("06".to_owned()), 2), (None, 2)],
        "alice's two in her pledge's region, the others unknown"
    );
    s.forget("alice").await.unwrap();
    assert_eq!(s.green_photos(CAMPAIGN).await.unwrap(), 4, "counts, not people: forget-me keeps them");
}

/// Issue 15: young person or adult, said once after pledging, split every breakdown; saying
/// it again replaces it, « rather not say » takes it back, and without a pledge nothing is kept.
async fn pledges_split_young_people_and_adults_as_they_said(f: &Fresh) {
    let s = &f.store;
    for who in ["ana", "ben", "cleo", "dan"] {
        s.pledge(pledge_req(who)).await.unwrap();
    }
    assert!(s.set_age_group(CAMPAIGN, "ana", Some(AgeGroup::Youth)).await.unwrap());
    assert!(s.set_age_group(CAMPAIGN, "ben", Some(AgeGroup::Adult)).await.unwrap());
    assert!(s.set_age_group(CAMPAIGN, "ben", Some(AgeGroup::Youth)).await.unwrap(), "said again: replaced");
    assert!(s.set_age_group(CAMPAIGN, "cleo", Some(AgeGroup::Adult)).await.unwrap());
    assert!(s.set_age_group(CAMPAIGN, "cleo", None).await.unwrap(), "taken back");
    assert!(!s.set_age_group(CAMPAIGN, "nobody", Some(AgeGroup::Adult)).await.unwrap(), "no pledge, nothing kept");
    for by in [GroupBy::Day, GroupBy::Region, GroupBy::Organization, GroupBy::Platform] {
        let rows = s.totals(CAMPAIGN, by).await.unwrap();
        let sum = |f: fn(&TotalRow) -> i64| rows.iter().map(f).sum::<i64>();
        assert_eq!((sum(|r| r.pledges), sum(|r| r.youth), sum(|r| r.adult)), (4, 2, 0), "{by:?}");
    }
    let mut csv = Vec::new();
    let rows = s.totals(CAMPAIGN, GroupBy::Region).await.unwrap();
    write_totals(&mut csv, CAMPAIGN, GroupBy::Region, &rows, ExportFormat::Csv { excel: false, semicolon: false })
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("key,label,pledges,youth,adult\r\n"), "{csv}");
    assert!(csv.contains(",4,2,0\r\n"), "region 06: 4 pledges, 2 young people: {csv}");
}

fn held(class: &str, sender: &str, to: &str) -> NewHeldCard {
    NewHeldCard {
        class_code: class.into(),
        sender_key: sender.into(),
        platform: "telegram".into(),
        chat: Some("-100777".into()),
        recipient: to.into(),
        recipient_key: None,
        message: "tu manges toujours tout seul".into(),
        design: "oser".into(),
        locale: "fr-CA".into(),
        category: "exclusion".into(),
    }
}

/// Issue 34: a card held for an adult is read back as it was held, listed for its class
/// only, taken (approved or dropped) once and only by its class's adult or an organizer,
/// and erased with its sender's forget-me.
async fn a_held_card_is_decided_once_by_its_class_and_forgotten_with_its_sender(f: &Fresh) {
    let s = &f.store;
    let first = s.hold_card(&held("classe-a", "ana", "Zoé")).await.unwrap();
    s.hold_card(&held("classe-b", "ben", "Léo")).await.unwrap();
    let forgotten = s.hold_card(&held("classe-a", "cleo", "Noé")).await.unwrap();
    let in_a = s.held_cards(Some("classe-a"), 10).await.unwrap();
    assert_eq!(in_a.iter().map(|h| h.id).collect::<Vec<_>>(), [first, forgotten], "class A's, oldest first");
    assert_eq!(in_a[0].card, held("classe-a", "ana", "Zoé"), "read back as held");
    assert_eq!(s.held_cards(None, 10).await.unwrap().len(), 3, "the organizers see every class's");
    assert!(s.take_held_card(first, Some("classe-b")).await.unwrap().is_none(), "another class decides nothing");
    let taken = s.take_held_card(first, Some("classe-a")).await.unwrap().expect("its class's adult takes it");
    assert_eq!(taken.card.recipient, "Zoé");
    assert!(s.take_held_card(first, None).await.unwrap().is_none(), "decided once");
    assert_eq!(s.forget("cleo").await.unwrap().held_cards, 1);
    assert!(s.held_cards(Some("classe-a"), 10).await.unwrap().is_empty(), "forget-me took cleo's");
}

/// Issue 34: an approved card left for a chat is taken by one process at a time (two stores on
/// one database, as two `ruban serve` processes), for its platform only, and gone once sent.
async fn an_approved_card_is_taken_by_one_process_and_gone_once_sent(f: &Fresh) {
    let (one, two) = (&f.store, &f.reopen().await);
    let card = |platform: &str| NewOutgoing {
        platform: platform.into(),
        chat: "-100777".into(),
        text: "Une carte pour Zoé! 💚".into(),
        file_name: "carte-zoe.png".into(),
        alt: "Carte pour Zoé".into(),
        image: vec![0x89, b'P', b'N', b'G'],
        buttons: "[]".into(),
    };
    one.queue_outgoing(&card("telegram")).await.unwrap();
    one.queue_outgoing(&card("discord")).await.unwrap();
    let (a, b) = tokio::join!(one.take_outgoing("telegram"), two.take_outgoing("telegram"));
    let taken: Vec<Outgoing> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(taken.len(), 1, "one process takes it, the other finds nothing: {taken:?}");
    assert_eq!(
        (taken[0].text.as_str(), taken[0].image.as_slice()),
        ("Une carte pour Zoé! 💚", &[0x89, b'P', b'N', b'G'][..])
    );
    assert!(two.take_outgoing("telegram").await.unwrap().is_none(), "leased: nobody takes it again meanwhile");
    one.sent_outgoing(taken[0].id).await.unwrap();
    assert!(one.take_outgoing("telegram").await.unwrap().is_none(), "sent: gone");
    assert!(two.take_outgoing("discord").await.unwrap().is_some(), "Discord's is still there for Discord");
}

async fn a_senders_profile_block_and_days_cards_come_in_one_read(f: &Fresh) {
    let s = &f.store;
    let today = clock::day_string(s.clock().today());
    assert_eq!(s.sender(Some(CAMPAIGN), "nobody", &today).await.unwrap(), Sender::default(), "a stranger");
    let mut cards = Vec::new();
    for i in 0..3 {
        cards.push(card_on_wall(s, "bully", &format!("message {i}")).await);
    }
    let read = s.sender(Some(CAMPAIGN), "bully", &today).await.unwrap();
    assert_eq!((read.profile, read.blocked, read.cards_today), (None, false, 3), "three cards today, no profile");
    for (card, by) in cards.iter().zip(["zoe", "prof", "lea"]) {
        s.report_card(card, by, "telegram").await.unwrap();
    }
    let profile = Profile { public_name: Some("Max".into()), locale: Some("en-CA".into()), wall_opt_in: true };
    s.set_profile("bully", &profile).await.unwrap();
    let read = s.sender(Some(CAMPAIGN), "bully", &today).await.unwrap();
    assert_eq!(read, Sender { profile: Some(profile.clone()), blocked: true, cards_today: 3 });
    // Between campaigns nothing is blocked; another day counts its own cards.
    let read = s.sender(None, "bully", "2001-01-01").await.unwrap();
    assert_eq!(read, Sender { profile: Some(profile), blocked: false, cards_today: 0 });
    // The other senders' cards are theirs.
    assert_eq!(s.sender(Some(CAMPAIGN), "zoe", &today).await.unwrap().cards_today, 0);
}
