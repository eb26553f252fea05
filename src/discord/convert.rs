//! The one seam between the core's values ([`Reply`], [`Notice`], [`Report`], topic pages)
//! and Discord's message builders: every message, interaction response and edit the bot sends
//! is built here.
//!
//! A reply is first laid out as a plain [`Layout`], where every Discord limit is checked and
//! enforced (the core already cuts text, this is the last line of defence: when Discord or the
//! library refuses a body, the member sees "the application did not respond"). Only then is it
//! turned into builders. Every outgoing body carries an explicit `allowed_mentions` that pings
//! nobody, except the one member named with `/ask for:`, because facts and questions may
//! contain `@everyone`.

use serenity::all::{
    AutocompleteChoice, ButtonStyle, CreateActionRow, CreateAllowedMentions,
    CreateAutocompleteResponse, CreateButton, CreateEmbed, CreateEmbedAuthor, CreateEmbedFooter,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateMessage, EditInteractionResponse, UserId,
};

use crate::conversation::{Answered, ButtonId, Notice, Report, Tone, TopicsPage, PER_PAGE};
use crate::facts::FactId;
use crate::lang::{Lang, Msg};
use crate::limits::{self, truncate, truncate_lines};
use crate::reply::{Reply, ReplyKind};

const ANSWER_COLOUR: u32 = 0x2b_6c_b0;
const CHOICE_COLOUR: u32 = 0xd6_9e_2e;
const UNKNOWN_COLOUR: u32 = 0x71_80_96;
const RETRACTED_COLOUR: u32 = 0xc5_30_30;
const GOOD_COLOUR: u32 = 0x2f_85_5a;
const PROBLEM_COLOUR: u32 = 0xc5_30_30;
const INFO_COLOUR: u32 = 0x2b_6c_b0;

/// The `custom_id` of a button, or `None` when it would not fit Discord's 100 characters.
fn custom_id(id: &ButtonId) -> Option<String> {
    id.encode_within(limits::CUSTOM_ID)
}

/// A reply as Discord will show it, already within every limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    pub description: String,
    /// Publisher, and the link when it is a web address.
    pub author: Option<(String, Option<String>)>,
    pub footer: Option<String>,
    pub colour: u32,
    /// `(custom_id, label, primary)`, at most five rows of five, ids unique.
    pub buttons: Vec<(String, String, bool)>,
}

impl Layout {
    /// Lays out `reply`: the answer and the quoted snippet in the description, the source in
    /// the author (publisher, linked) and footer (title, date), follow-ups as buttons.
    pub(crate) fn of(reply: &Reply) -> Self {
        Self::with_ids(reply, |fact| custom_id(&ButtonId::follow_up(fact)))
    }

    /// [`Self::of`] for an answer: a "did you mean" or "I don't know" reply's buttons carry
    /// the question they resolve ([`Answered::fact_button`]).
    pub(crate) fn of_answered(answered: &Answered) -> Self {
        Self::with_ids(&answered.reply, |fact| {
            answered.fact_button(fact, limits::CUSTOM_ID)
        })
    }

    fn with_ids(reply: &Reply, id_of: impl Fn(&FactId) -> Option<String>) -> Self {
        let mut description = reply.text.clone();
        let (mut author, mut footer) = (None, None);
        if let Some(quote) = &reply.quote {
            description.push_str("\n\n");
            description.push_str(&block_quote(&format!("\u{201C}{}\u{201D}", quote.snippet)));
            let url = quote
                .url
                .clone()
                .filter(|url| url.starts_with("https://") || url.starts_with("http://"));
            author = Some((quote.publisher.clone(), url));
            footer = Some(format!(
                "\u{201C}{}\u{201D}, {}",
                quote.title, quote.published
            ));
        }
        let colour = match reply.kind {
            ReplyKind::Answer => ANSWER_COLOUR,
            ReplyKind::Choice => CHOICE_COLOUR,
            ReplyKind::Unknown => UNKNOWN_COLOUR,
            ReplyKind::Retracted => RETRACTED_COLOUR,
        };
        let buttons = reply
            .buttons
            .iter()
            .filter_map(|button| {
                Some((
                    id_of(&button.fact)?,
                    button.label.clone(),
                    reply.kind == ReplyKind::Choice,
                ))
            })
            .collect();
        Self {
            description,
            author,
            footer,
            colour,
            buttons,
        }
        .within_limits()
    }

    /// Cuts whatever is over a limit: each part to its own, then the footer and description to
    /// the embed total; buttons deduplicated (Discord refuses repeated ids) and capped.
    fn within_limits(mut self) -> Self {
        self.description = truncate(&self.description, limits::EMBED_DESCRIPTION).into_owned();
        if let Some((name, _)) = &mut self.author {
            *name = truncate(name, limits::EMBED_AUTHOR_NAME).into_owned();
        }
        let author_len = self
            .author
            .as_ref()
            .map_or(0, |(name, _)| name.chars().count());
        if let Some(footer) = &mut self.footer {
            let room =
                limits::EMBED_TOTAL.saturating_sub(author_len + self.description.chars().count());
            *footer = truncate(footer, limits::EMBED_FOOTER.min(room)).into_owned();
        }
        let mut seen = std::collections::HashSet::new();
        self.buttons
            .retain(|(id, _, _)| id.len() <= limits::CUSTOM_ID && seen.insert(id.clone()));
        self.buttons
            .truncate(limits::BUTTONS_PER_ROW * limits::ROWS_PER_MESSAGE);
        for (_, label, _) in &mut self.buttons {
            *label = truncate(label, limits::BUTTON_LABEL).into_owned();
        }
        debug_assert!(self.embed_chars() <= limits::EMBED_TOTAL);
        self
    }

    /// Characters Discord counts against the 6,000 of one embed.
    pub(crate) fn embed_chars(&self) -> usize {
        let count = |text: &str| text.chars().count();
        count(&self.description)
            + self.author.as_ref().map_or(0, |(name, _)| count(name))
            + self.footer.as_deref().map_or(0, count)
    }

    pub(crate) fn embed(&self) -> CreateEmbed {
        let mut embed = CreateEmbed::new()
            .description(&self.description)
            .colour(self.colour);
        if let Some((name, url)) = &self.author {
            let mut author = CreateEmbedAuthor::new(name);
            if let Some(url) = url {
                author = author.url(url);
            }
            embed = embed.author(author);
        }
        if let Some(footer) = &self.footer {
            embed = embed.footer(CreateEmbedFooter::new(footer));
        }
        embed
    }

    pub(crate) fn rows(&self) -> Vec<CreateActionRow> {
        self.buttons
            .chunks(limits::BUTTONS_PER_ROW)
            .map(|row| {
                let buttons = row.iter().map(|(id, label, primary)| {
                    let style = if *primary {
                        ButtonStyle::Primary
                    } else {
                        ButtonStyle::Secondary
                    };
                    CreateButton::new(id).label(label).style(style)
                });
                CreateActionRow::Buttons(buttons.collect())
            })
            .collect()
    }
}

/// Prefixes every line so a multi-line snippet stays one Discord block quote.
fn block_quote(text: &str) -> String {
    text.lines()
        .map(|line| format!("> {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Pings nobody; the member named with `for:` when there is one; the replied-to author only
/// when the config asks for it.
pub(crate) fn allowed_mentions(user: Option<UserId>, reply_ping: bool) -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .users(user)
        .replied_user(reply_ping)
}

/// The reply's button rows, plus a "Was this helpful?" row when asked for and there is room.
fn rows_with_feedback(
    layout: &Layout,
    helpful: Option<&[ButtonId; 2]>,
    lang: Lang,
) -> Vec<CreateActionRow> {
    let mut rows = layout.rows();
    let ids = helpful.and_then(|[yes, no]| Some((custom_id(yes)?, custom_id(no)?)));
    if let Some((yes, no)) = ids {
        if rows.len() < limits::ROWS_PER_MESSAGE {
            rows.push(CreateActionRow::Buttons(vec![
                CreateButton::new(yes)
                    .label(lang.text(Msg::Helpful, &[]))
                    .style(ButtonStyle::Success),
                CreateButton::new(no)
                    .label(lang.text(Msg::NotHelpful, &[]))
                    .style(ButtonStyle::Secondary),
            ]));
        }
    }
    rows
}

/// A reply to a member's message (mention or DM).
pub(crate) fn message(answered: &Answered, reply_ping: bool) -> CreateMessage {
    let layout = Layout::of_answered(answered);
    CreateMessage::new()
        .embed(layout.embed())
        .components(rows_with_feedback(
            &layout,
            answered.helpful.as_ref(),
            answered.reply.lang,
        ))
        .allowed_mentions(allowed_mentions(None, reply_ping))
}

/// A notice (cooldown, apology) in reply to a member's message, also pinging nobody.
pub(crate) fn text_message(notice: &Notice, reply_ping: bool) -> CreateMessage {
    CreateMessage::new()
        .content(defang(&notice.to_string()))
        .allowed_mentions(allowed_mentions(None, reply_ping))
}

/// An interaction's answer; `for_user` is mentioned in the content (and only they are pinged).
pub(crate) fn interaction_message(
    answered: &Answered,
    for_user: Option<UserId>,
    private: bool,
) -> CreateInteractionResponseMessage {
    let layout = Layout::of_answered(answered);
    let mut message = CreateInteractionResponseMessage::new()
        .embed(layout.embed())
        .components(rows_with_feedback(
            &layout,
            answered.helpful.as_ref(),
            answered.reply.lang,
        ))
        .allowed_mentions(allowed_mentions(for_user, false))
        .ephemeral(private);
    if let Some(user) = for_user {
        message = message.content(format!("<@{user}>"));
    }
    message
}

/// A short private notice for an interaction (cooldown, wrong channel, something went wrong).
pub(crate) fn interaction_notice(notice: Notice) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(defang(&notice.to_string()))
        .allowed_mentions(allowed_mentions(None, false))
        .ephemeral(true)
}

/// The same notice as a private follow-up, when the interaction was already answered.
pub(crate) fn followup_notice(notice: Notice) -> CreateInteractionResponseFollowup {
    CreateInteractionResponseFollowup::new()
        .content(defang(&notice.to_string()))
        .allowed_mentions(allowed_mentions(None, false))
        .ephemeral(true)
}

/// Autocomplete choices whose value is the question itself.
pub(crate) fn choices(questions: &[String]) -> CreateAutocompleteResponse {
    let choices = questions
        .iter()
        .map(|question| {
            let text = truncate(question, limits::AUTOCOMPLETE_CHOICE).into_owned();
            AutocompleteChoice::new(text.clone(), text)
        })
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

/// A moderators' report as an embed: Discord markdown escaped (a path like
/// `facts/new_story_2.toml` must not turn italic), then cut at whole lines to fit.
fn report_embed(report: &Report) -> CreateEmbed {
    let colour = match report.tone {
        Tone::Good => GOOD_COLOUR,
        Tone::Problem => PROBLEM_COLOUR,
        Tone::Info => INFO_COLOUR,
    };
    CreateEmbed::new()
        .description(truncate_lines(
            &escape_markdown(&report.text),
            limits::EMBED_DESCRIPTION,
        ))
        .colour(colour)
}

fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '*' | '_' | '~' | '`' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A report's buttons: for each suggestion, "Add #n" (red "Add #n anyway" when it carries a
/// warning) and "Dismiss #n" on a row of their own.
fn report_rows(report: &Report) -> Vec<CreateActionRow> {
    report
        .actions
        .iter()
        .take(limits::ROWS_PER_MESSAGE)
        .filter_map(|action| {
            let (add_label, dismiss_label) = action.labels();
            let add_style = if action.warned {
                ButtonStyle::Danger
            } else {
                ButtonStyle::Success
            };
            Some(CreateActionRow::Buttons(vec![
                CreateButton::new(custom_id(&action.add)?)
                    .label(truncate(&add_label, limits::BUTTON_LABEL))
                    .style(add_style),
                CreateButton::new(custom_id(&action.dismiss)?)
                    .label(truncate(&dismiss_label, limits::BUTTON_LABEL))
                    .style(ButtonStyle::Secondary),
            ]))
        })
        .collect()
}

/// A report shown only to the moderator who asked.
pub(crate) fn report_message(report: &Report) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .embed(report_embed(report))
        .components(report_rows(report))
        .allowed_mentions(allowed_mentions(None, false))
        .ephemeral(true)
}

/// "factbot is thinking…", privately: the report is edited in when ready.
pub(crate) fn private_defer() -> CreateInteractionResponse {
    CreateInteractionResponse::Defer(
        CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .allowed_mentions(allowed_mentions(None, false)),
    )
}

/// The deferred response, edited to show `report`.
pub(crate) fn report_edit(report: &Report) -> EditInteractionResponse {
    EditInteractionResponse::new()
        .embed(report_embed(report))
        .components(report_rows(report))
        .allowed_mentions(allowed_mentions(None, false))
}

/// A report posted to the moderators' log channel.
pub(crate) fn report_post(report: &Report) -> CreateMessage {
    CreateMessage::new()
        .embed(report_embed(report))
        .allowed_mentions(allowed_mentions(None, false))
}

/// A `/facts` page: the titles listed, each a button, and "previous"/"next" when needed.
pub(crate) fn topics_message(page: &TopicsPage, topic: &str) -> CreateInteractionResponseMessage {
    let lang = page.lang;
    let mut description = lang.text(Msg::TopicsHeading, &[("topic", &truncate(topic, 200))]);
    description.push('\n');
    for (number, (_, title)) in page.topics.iter().enumerate() {
        description.push_str(&format!(
            "\n{}. {}",
            page.page * PER_PAGE + number + 1,
            truncate(title, 300)
        ));
    }
    let mut buttons: Vec<(String, String, bool)> = page
        .topics
        .iter()
        .filter_map(|(id, title)| {
            Some((custom_id(&ButtonId::follow_up(id))?, title.clone(), false))
        })
        .collect();
    buttons.truncate(PER_PAGE);
    let layout = Layout {
        description,
        author: None,
        footer: (page.pages > 1).then(|| {
            lang.text(
                Msg::TopicsPage,
                &[
                    ("page", &(page.page + 1).to_string()),
                    ("pages", &page.pages.to_string()),
                ],
            )
        }),
        colour: UNKNOWN_COLOUR,
        buttons,
    }
    .within_limits();
    let mut rows = layout.rows();
    let nav: Vec<CreateButton> = [
        (page.previous(), lang.text(Msg::PreviousPage, &[])),
        (page.next(), lang.text(Msg::NextPage, &[])),
    ]
    .into_iter()
    .filter_map(|(target, label)| {
        target.map(|target| {
            CreateButton::new(ButtonId::Page(target).encode())
                .label(label)
                .style(ButtonStyle::Primary)
        })
    })
    .collect();
    if !nav.is_empty() {
        rows.truncate(limits::ROWS_PER_MESSAGE - 1);
        rows.push(CreateActionRow::Buttons(nav));
    }
    CreateInteractionResponseMessage::new()
        .embed(layout.embed())
        .components(rows)
        .allowed_mentions(allowed_mentions(None, false))
        .ephemeral(true)
}

/// Breaks `@everyone` and `@here` with a zero-width space, so even a body whose
/// `allowed_mentions` were lost could not ping a server.
fn defang(text: &str) -> String {
    text.replace("@everyone", "@\u{200B}everyone")
        .replace("@here", "@\u{200B}here")
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::facts::FactId;

    fn answer(text: &str, snippet: &str, buttons: usize) -> Reply {
        Reply::sample(text, snippet, buttons)
    }

    fn json_of(message: &CreateMessage) -> Value {
        serde_json::to_value(message).unwrap()
    }

    fn answered(reply: Reply, helpful: Option<[ButtonId; 2]>) -> Answered {
        Answered {
            reply,
            helpful,
            resolves: None,
        }
    }

    fn helpful(question: i64, fact: &str) -> Option<[ButtonId; 2]> {
        Some([true, false].map(|helpful| ButtonId::Helpful {
            question,
            fact: fact.to_owned(),
            helpful,
        }))
    }

    #[test]
    fn an_answer_has_its_quote_source_and_buttons() {
        let body = json_of(&message(
            &answered(
                answer("June 23-28.", "From June 23 to 28\nshe visited.", 6),
                None,
            ),
            false,
        ));
        let embed = &body["embeds"][0];
        assert_eq!(
            embed["description"],
            "June 23-28.\n\n> \u{201C}From June 23 to 28\n> she visited.\u{201D}"
        );
        assert_eq!(
            embed["author"],
            json!({"name": "Latin America Reports", "url": "https://example.org/a"})
        );
        assert_eq!(
            embed["footer"]["text"],
            "\u{201C}Key takeaways\u{201D}, 2024-07-04"
        );
        let rows = body["components"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["components"].as_array().unwrap().len(), 5);
        assert_eq!(rows[0]["components"][0]["custom_id"], "fu:fact-0");
        assert_eq!(rows[0]["components"][0]["label"], "Question 0?");
        assert_eq!(
            body["allowed_mentions"],
            json!({"parse": [], "users": [], "roles": [], "replied_user": false})
        );
    }

    #[test]
    fn every_limit_holds_at_and_past_the_edge() {
        let mut reply = answer(&"word ".repeat(2000), &"snip ".repeat(2000), 40);
        reply.quote.as_mut().unwrap().publisher = "p".repeat(500);
        reply.quote.as_mut().unwrap().title = "t".repeat(3000);
        reply.buttons.push(reply.buttons[0].clone());
        reply.buttons[1].label = "l".repeat(200);
        reply.buttons[2].fact = FactId::new_unchecked("x".repeat(120));
        let layout = Layout::of(&reply);
        assert!(layout.description.chars().count() <= limits::EMBED_DESCRIPTION);
        assert!(layout.footer.as_ref().unwrap().chars().count() <= limits::EMBED_FOOTER);
        assert!(layout.author.as_ref().unwrap().0.chars().count() <= limits::EMBED_AUTHOR_NAME);
        assert!(
            layout.embed_chars() <= limits::EMBED_TOTAL,
            "{}",
            layout.embed_chars()
        );
        assert_eq!(
            layout.buttons.len(),
            limits::BUTTONS_PER_ROW * limits::ROWS_PER_MESSAGE
        );
        assert!(layout
            .buttons
            .iter()
            .all(|(id, label, _)| id.len() <= limits::CUSTOM_ID
                && label.chars().count() <= limits::BUTTON_LABEL));
        assert!(
            !layout.buttons.iter().any(|(id, _, _)| id.contains("xxx")),
            "an id over 100 is left out"
        );
        let ids: std::collections::HashSet<_> =
            layout.buttons.iter().map(|(id, _, _)| id).collect();
        assert_eq!(ids.len(), layout.buttons.len(), "ids are unique");
        let body = json_of(&message(&answered(reply, helpful(1, "a")), false));
        let rows = body["components"].as_array().unwrap();
        assert!(
            rows.len() <= limits::ROWS_PER_MESSAGE
                && rows
                    .iter()
                    .all(|row| row["components"].as_array().unwrap().len()
                        <= limits::BUTTONS_PER_ROW)
        );
    }

    #[test]
    fn helpful_buttons_get_a_row_of_their_own() {
        let ids = helpful(7, "trip-dates");
        let body = json_of(&message(&answered(answer("a", "b", 3), ids), false));
        let rows = body["components"].as_array().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1]["components"][0]["custom_id"], "hy:7:trip-dates");
        assert_eq!(rows[1]["components"][1]["custom_id"], "hn:7:trip-dates");
    }

    #[test]
    fn text_exactly_at_a_limit_is_kept_whole() {
        let text = "a".repeat(limits::EMBED_DESCRIPTION);
        let reply = Reply {
            kind: ReplyKind::Unknown,
            text: text.clone(),
            quote: None,
            buttons: vec![],
            fact: None,
            lang: crate::lang::Lang::EN,
        };
        assert_eq!(Layout::of(&reply).description, text);
    }

    #[test]
    fn only_the_named_member_can_be_pinged() {
        let reply = Reply {
            kind: ReplyKind::Unknown,
            text: "@everyone hi".into(),
            quote: None,
            buttons: vec![],
            fact: None,
            lang: crate::lang::Lang::EN,
        };
        let body = serde_json::to_value(interaction_message(
            &answered(reply, None),
            Some(UserId::new(42)),
            false,
        ))
        .unwrap();
        assert_eq!(body["content"], "<@42>");
        assert_eq!(
            body["allowed_mentions"],
            json!({"parse": [], "users": ["42"], "roles": [], "replied_user": false})
        );
        assert_eq!(
            defang("@everyone and @here"),
            "@\u{200B}everyone and @\u{200B}here"
        );
        let notice = serde_json::to_value(interaction_notice(Notice::NotHere)).unwrap();
        assert_eq!(notice["flags"], 64);
        assert_eq!(
            json_of(&text_message(&Notice::NotHere, true))["allowed_mentions"]["replied_user"],
            true
        );
    }

    #[test]
    fn a_suggestions_report_has_a_row_of_buttons_per_suggestion() {
        let mut report = Report::new("1. …\n2. …", Tone::Info);
        report.actions = (1..=7)
            .map(|number| crate::conversation::ReportAction {
                number,
                add: ButtonId::SuggestionAdd(format!("{number:010x}")),
                dismiss: ButtonId::SuggestionDismiss(format!("{number:010x}")),
                warned: number == 2,
            })
            .collect();
        let body = serde_json::to_value(report_message(&report)).unwrap();
        let rows = body["components"].as_array().unwrap();
        assert_eq!(rows.len(), limits::ROWS_PER_MESSAGE);
        let first = &rows[0]["components"];
        assert_eq!(first[0]["custom_id"], "sa:0000000001");
        assert_eq!(first[0]["label"], "Add #1");
        assert_eq!(first[1]["custom_id"], "sd:0000000001");
        assert_eq!(first[1]["label"], "Dismiss #1");
        assert_eq!(rows[1]["components"][0]["label"], "Add #2 anyway");
        assert_eq!(
            rows[1]["components"][0]["style"], 4,
            "red: it carries a warning"
        );
    }

    #[test]
    fn a_topics_page_has_its_buttons_and_a_navigation_row() {
        let page = TopicsPage {
            page: 1,
            pages: 3,
            topics: (10..20)
                .map(|i| {
                    (
                        FactId::new_unchecked(format!("f{i}")),
                        format!("Question {i}?"),
                    )
                })
                .collect(),
            lang: Lang::EN,
        };
        let body = serde_json::to_value(topics_message(&page, "A story")).unwrap();
        assert_eq!(body["flags"], 64);
        let description = body["embeds"][0]["description"].as_str().unwrap();
        assert!(
            description.starts_with("What I can tell you about A story:\n\n11. Question 10?"),
            "{description}"
        );
        assert_eq!(body["embeds"][0]["footer"]["text"], "Page 2 of 3");
        let rows = body["components"].as_array().unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["components"][0]["custom_id"], "fu:f10");
        let nav: Vec<&str> = rows[2]["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(nav, ["fp:0", "fp:2"]);
    }

    #[test]
    fn reports_keep_their_characters_on_discord() {
        assert_eq!(
            escape_markdown("facts/new_story_2.toml:3:1: *x* `y` a|b ~z~ \\"),
            "facts/new\\_story\\_2.toml:3:1: \\*x\\* \\`y\\` a\\|b \\~z\\~ \\\\"
        );
        let long = Report::new("line\n".repeat(2000), Tone::Info);
        let embed = serde_json::to_value(report_embed(&long)).unwrap();
        let description = embed["description"].as_str().unwrap();
        assert!(description.chars().count() <= limits::EMBED_DESCRIPTION);
        assert!(description.ends_with("more line(s)"));
    }

    #[test]
    fn a_link_that_is_not_a_web_address_is_left_out() {
        let mut reply = answer("a", "b", 0);
        reply.quote.as_mut().unwrap().url = Some("javascript:alert(1)".into());
        assert_eq!(
            Layout::of(&reply).author,
            Some(("Latin America Reports".into(), None))
        );
    }
}
