//! What each indicator means, in words and units: shared by the charts (axis labels, titles)
//! and the report (one-line meanings). Pure data, no drawing.

/// How an indicator's values are scaled; decides axis range, tick format and reference lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A share or proportion in [0, 1], shown as a percentage.
    Share,
    /// A level on a 0–1 scale (agency, language, an index), shown as a decimal.
    Level,
    /// A ratio where 1 means parity (drawn with a reference line at 1).
    Ratio,
    /// A signed difference where 0 means no difference (reference line at 0).
    Signed,
    /// A count of persons or events (axis starts at 0).
    Count,
}

/// Plain-language description of one indicator.
#[derive(Debug, Clone, Copy)]
pub struct IndicatorMeta {
    pub name: &'static str,
    /// Short title for charts, e.g. "Voice parity of participants".
    pub title: &'static str,
    /// Axis label with unit, e.g. "voice share ÷ attendance share".
    pub unit: &'static str,
    /// One-line plain meaning for the report.
    pub meaning: &'static str,
    pub kind: Kind,
}

macro_rules! meta {
    ($( $name:literal, $kind:ident, $title:literal, $unit:literal, $meaning:literal; )*) => {
        /// Every indicator the report knows how to describe, in output order.
        pub const META: &[IndicatorMeta] = &[ $( IndicatorMeta {
            name: $name, title: $title, unit: $unit, meaning: $meaning, kind: Kind::$kind,
        }, )* ];
    };
}

meta! {
    "voice_share_participants", Share, "Participants' share of turns", "share of turns",
        "Share of all speaking turns that were participants' own words.";
    "voice_share_volunteers", Share, "Volunteers' share of turns", "share of turns",
        "Share of all speaking turns voiced by volunteers (a turn taken over counts for whoever took it).";
    "voice_share_staff", Share, "Staff's share of turns", "share of turns",
        "Share of all speaking turns voiced by staff or coordinators.";
    "voice_parity", Ratio, "Voice parity of participants", "ratio (1 = parity)",
        "Participants' share of turns divided by their share of the people present: 1 = they are heard in proportion to their numbers, below 1 = under-heard.";
    "usurp_rate_participants", Share, "Participants spoken for", "share of their turns",
        "Share of the turns participants started that someone else finished or took over (\u{201c}speaking for\u{201d}).";
    "usurp_rate_volunteers", Share, "Volunteers spoken for", "share of their turns",
        "Share of the turns volunteers and staff started that someone else took over; the comparison point for participants.";
    "usurp_ratio", Ratio, "Speaking-for ratio", "ratio (1 = equal)",
        "How many times more often participants are spoken for than volunteers (1 = equally often).";
    "usurp_share_by_participants", Share, "Turns taken over by participants", "share of usurped turns",
        "Of all turns taken over, the share taken over by participants.";
    "usurp_share_by_volunteers", Share, "Turns taken over by volunteers", "share of usurped turns",
        "Of all turns taken over, the share taken over by volunteers.";
    "usurp_share_by_staff", Share, "Turns taken over by staff", "share of usurped turns",
        "Of all turns taken over, the share taken over by staff.";
    "completed_turn_share", Share, "Turns completed by the speaker", "share of turns",
        "Share of the turns participants started that they completed themselves (not taken over).";
    "dependency_help_share", Share, "Dependency-oriented help", "share of help episodes",
        "Share of help episodes in which the helper did the task for the participant instead of enabling her to do it.";
    "unsolicited_help_share", Share, "Unsolicited help", "share of help episodes",
        "Share of help episodes that volunteers offered without being asked.";
    "help_episodes", Count, "Help episodes", "episodes per week",
        "Number of help episodes in the week.";
    "proposals_adopted_share", Share, "Participants' proposals adopted", "share of adopted items",
        "Share of the agenda decisions that went to a participant's proposal: who gets to set the agenda.";
    "decision_share_locals", Share, "Decisions held by locals", "share of decisions",
        "Share of the agenda decisions that went to a local's (volunteer's or staff member's) proposal: who sets the rules.";
    "mean_agency", Level, "Participants' mean agency", "agency (0–1)",
        "Participants' average agency: their sense of being active participants rather than recipients (0–1).";
    "agency_gini", Level, "Inequality of agency", "Gini coefficient (0–1)",
        "How unequally agency is spread among participants (0 = all equal, 1 = one has it all).";
    "mean_p_indep", Level, "Readiness to try alone", "probability (0–1)",
        "Participants' average readiness to attempt tasks on their own; falls when attempts are pre-empted or ignored.";
    "perceived_competence_gap", Signed, "Underestimation of participants", "true − perceived (0–1)",
        "Participants' true competence minus what volunteers believe it is: above 0 means participants are underestimated (infantilized).";
    "stereotype_mean", Level, "Volunteers' stereotype", "perceived competence",
        "Volunteers' average belief about the competence of participants' origin groups (higher = seen as more able).";
    "limbo_count", Count, "Participants in limbo", "participants",
        "Participants treated as \u{201c}exceptions\u{201d} by volunteers but still not included as \u{201c}one of us\u{201d}.";
    "us_them_distance", Level, "Us/them distance", "distance (0–1)",
        "Average social distance volunteers keep from participants (1 = entirely \u{201c}them\u{201d}, 0 = \u{201c}us\u{201d}).";
    "bridging_tie_strength", Level, "Bridging ties to locals", "tie strength (0–1)",
        "Average strength of participants' ties to locals (bridges into the wider society).";
    "bonding_tie_strength", Level, "Bonding ties among participants", "tie strength (0–1)",
        "Average strength of ties among participants themselves.";
    "linking_events", Count, "Doors opened", "events per week",
        "Housing or jobs found in the week (door-opening events, helped by ties to volunteers with networks).";
    "housing_events", Count, "Housing found", "participants per week",
        "Participants who found housing in the week.";
    "job_events", Count, "Jobs found", "participants per week",
        "Participants who found a job in the week.";
    "mean_language", Level, "Participants' local language", "proficiency (0–1)",
        "Participants' average proficiency in the local language (0 = none, 1 = mastery).";
    "mean_knowhow", Level, "Participants' local know-how", "know-how (0–1)",
        "Participants' average knowledge of how things work locally.";
    "mean_belonging", Level, "Participants' belonging", "belonging (0–1)",
        "Participants' average sense of belonging in the activity.";
    "attendance_rate", Share, "Attendance", "share of participants",
        "Share of active participants who came to the week's meetings.";
    "participants_active", Count, "Active participants", "participants",
        "Participants still taking part.";
    "dropouts", Count, "Dropouts", "participants per week",
        "Participants who stopped coming in the week.";
    "volunteers_active", Count, "Active volunteers", "volunteers",
        "Volunteers still active (including newly recruited ones).";
    "volunteers_retained", Share, "Volunteers retained", "share of initial volunteers",
        "Share of the volunteers present at the start who are still active.";
    "volunteer_satisfaction", Level, "Volunteers' satisfaction", "satisfaction (0–1)",
        "Volunteers' and staff's average satisfaction of their motives (helping, company, purpose).";
    "volunteer_burden", Level, "Volunteers' burden", "burden",
        "Volunteers' and staff's average burden from having too many participants per helper.";
    "withdrawals", Count, "Volunteer withdrawals", "volunteers per week",
        "Volunteers who withdrew in the week.";
    "stranded_participants", Count, "Stranded participants", "participants per week",
        "Participants who lost most of their ties to locals when a volunteer withdrew.";
    "role_transitions", Count, "Role transitions", "participants per week",
        "Participants who became co-organizers or volunteers in the week.";
    "co_organizers", Count, "Co-organizers", "participants",
        "Participants currently co-organizing the activity.";
    "agency_index", Level, "Agency index", "index (0–1)",
        "Mean of participants' agency, readiness to try alone, completed-turn share, voice parity (capped at 1) and adopted-proposal share: higher is better.";
    "minoritization_index", Level, "Minoritization index", "index (0–1)",
        "Mean of the rate of being spoken for, dependency-help share, underestimation (×2, capped), share in limbo and us/them distance: higher is worse.";
}

/// Description of an indicator; unknown names get a neutral description built from the name.
pub fn meta(name: &str) -> IndicatorMeta {
    META.iter()
        .find(|m| m.name == name)
        .copied()
        .unwrap_or(IndicatorMeta {
            name: "",
            title: "",
            unit: "value",
            meaning: "",
            kind: Kind::Level,
        })
}

/// A human title for any indicator name (the table's, or the name with spaces).
pub fn title(name: &str) -> String {
    let m = meta(name);
    if m.title.is_empty() {
        name.replace('_', " ")
    } else {
        m.title.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_key_indicators_are_described() {
        let mut names: Vec<&str> = META.iter().map(|m| m.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), META.len());
        for k in crate::metrics::indicators::KEY_INDICATORS {
            assert!(
                META.iter().any(|m| m.name == k.name),
                "{} undescribed",
                k.name
            );
        }
    }

    #[test]
    fn every_output_indicator_is_described_in_order() {
        let ours: Vec<&str> = META.iter().map(|m| m.name).collect();
        assert_eq!(ours, crate::metrics::indicators::INDICATORS);
    }

    #[test]
    fn unknown_indicator_gets_a_title() {
        assert_eq!(title("new_thing"), "new thing");
        assert_eq!(title("voice_parity"), "Voice parity of participants");
    }
}
