//! The one seam between the core's values ([`Answered`], [`Notice`], [`Report`], topic pages)
//! and Slack's Block Kit: every message body the Slack adapter sends is built here.
//!
//! Every text from a facts file or a member is escaped by Slack's mrkdwn rules (`&`, `<`, `>`),
//! so `<!channel>`, `<!here>`, `<!subteam^…>` or `<@U…>` can never form and nobody is pinged;
//! `link_names` is never set. Each part is cut to its Block Kit limit *after* escaping (which
//! lengthens text), never inside an escape.

use serde_json::{json, Value};

use crate::conversation::{Answered, ButtonId, Notice, Report, TopicsPage, PER_PAGE};
use crate::history::QuestionId;
use crate::lang::Msg;
use crate::limits::{self, truncate, truncate_lines};
use crate::reply::{Reply, ReplyKind};

/// `text` escaped for mrkdwn (`&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`).
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped and cut so the escaped text is at most `max` characters.
fn fit(text: &str, max: usize) -> String {
    let mut budget = max;
    loop {
        let escaped = escape(&truncate(text, budget));
        let length = escaped.chars().count();
        if length <= max {
            return escaped;
        }
        // Shrink in proportion to the escapes' extra length, by one at least.
        budget = (budget * max / length).min(budget - 1);
    }
}

fn section(mrkdwn: String) -> Value {
    json!({"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}})
}

/// A button, or `None` when its id would not fit Slack's 255 characters.
fn button(id: &ButtonId, label: &str, primary: bool) -> Option<Value> {
    let action_id = id.encode_within(limits::SLACK_ACTION_ID)?;
    Some(button_with(action_id, label, primary))
}

/// A button whose `action_id` (already within Slack's limit) is also its value.
fn button_with(action_id: String, label: &str, primary: bool) -> Value {
    let mut button = json!({
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(label, limits::SLACK_BUTTON_TEXT), "emoji": true},
        "action_id": action_id,
        "value": truncate(&action_id, limits::SLACK_BUTTON_VALUE),
    });
    if primary {
        button["style"] = json!("primary");
    }
    button
}

/// An actions block of `buttons` (unique ids, at most 25), or `None` when there are none.
fn actions(buttons: impl IntoIterator<Item = Value>) -> Option<Value> {
    let mut seen = std::collections::HashSet::new();
    let elements: Vec<Value> = buttons
        .into_iter()
        .filter(|button| seen.insert(button["action_id"].to_string()))
        .take(limits::SLACK_ACTIONS_ELEMENTS)
        .collect();
    (!elements.is_empty()).then(|| json!({"type": "actions", "elements": elements}))
}

/// The body of an answer: the text, the snippet as a quote, the source in a context block
/// (linked when it has a web address), follow-ups as buttons, and "helpful" when asked for.
pub(crate) fn answer(answered: &Answered) -> Value {
    body(
        &answered.reply,
        answered.resolves,
        answered.helpful.as_ref(),
    )
}

/// The body that replaces an earlier answer after a reload: the corrected reply (its text ends
/// with the "Corrected on …" marker and note, or it is the retraction notice) with its
/// follow-up buttons, which stay valid. No "helpful" buttons: their question id belonged to
/// the first answer, and its votes were already counted.
pub(crate) fn corrected(reply: &Reply) -> Value {
    body(reply, None, None)
}

/// `resolves`: the recorded question a "did you mean" or "I don't know" reply was for, which
/// its fact buttons name so a click is linked to it (for `suggest`).
fn body(reply: &Reply, resolves: Option<QuestionId>, helpful: Option<&[ButtonId; 2]>) -> Value {
    let mut blocks = vec![section(fit(&reply.text, limits::SLACK_SECTION_TEXT))];
    if let Some(quote) = &reply.quote {
        let snippet = fit(
            &format!("\u{201C}{}\u{201D}", quote.snippet),
            limits::SLACK_SECTION_TEXT - 2 * (1 + quote.snippet.lines().count()),
        );
        let quoted: Vec<String> = snippet.lines().map(|line| format!("> {line}")).collect();
        blocks.push(section(quoted.join("\n")));
        let publisher = match quote.url.as_deref().filter(|url| is_link(url)) {
            Some(url) => format!("<{}|{}>", escape(url), fit(&quote.publisher, 200)),
            None => fit(&quote.publisher, 200),
        };
        let source = format!(
            "{publisher}, \u{201C}{}\u{201D}, {}",
            fit(&quote.title, 600),
            escape(&quote.published)
        );
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": source}]}));
    }
    let primary = reply.kind == ReplyKind::Choice;
    blocks.extend(actions(reply.buttons.iter().filter_map(|b| {
        let action_id = ButtonId::fact_within(&b.fact, resolves, limits::SLACK_ACTION_ID)?;
        Some(button_with(action_id, &b.label, primary))
    })));
    if let Some([yes, no]) = helpful {
        blocks.extend(actions(
            [
                button(yes, &reply.lang.text(Msg::Helpful, &[]), false),
                button(no, &reply.lang.text(Msg::NotHelpful, &[]), false),
            ]
            .into_iter()
            .flatten(),
        ));
    }
    blocks.truncate(limits::SLACK_BLOCKS);
    json!({"text": fallback(reply), "blocks": blocks})
}

/// The notification text of a message with blocks.
fn fallback(reply: &Reply) -> String {
    fit(&reply.text, limits::SLACK_FALLBACK_TEXT)
}

/// Only web addresses are linked, and only those that cannot break out of `<url|label>`.
fn is_link(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(['|', '<', '>', ' '])
}

/// A notice (cooldown, wrong channel, something went wrong).
pub(crate) fn notice(notice: &Notice) -> Value {
    json!({"text": escape(&notice.to_string())})
}

/// A moderators' report: plain text (no markup to escape or misread), cut at whole lines.
/// Suggestions carry their "Add" and "Dismiss" buttons, one actions block each.
pub(crate) fn report(report: &Report) -> Value {
    let mut body = plain(&report.text);
    let Some(blocks) = body["blocks"].as_array_mut() else {
        return body;
    };
    for action in report.actions.iter().take(limits::SLACK_BLOCKS - 1) {
        let (add, dismiss) = action.labels();
        let mut add = button(&action.add, &add, !action.warned);
        if let Some(add) = add.as_mut().filter(|_| action.warned) {
            add["style"] = json!("danger");
        }
        blocks.extend(actions(
            [add, button(&action.dismiss, &dismiss, false)]
                .into_iter()
                .flatten(),
        ));
    }
    body
}

/// Plain text for the log channel (a moderators' or a corrections report), cut at whole lines.
pub(crate) fn plain(report: &str) -> Value {
    let text = truncate_lines(report, limits::SLACK_SECTION_TEXT).into_owned();
    json!({
        "text": fit(report, limits::SLACK_FALLBACK_TEXT),
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": text, "emoji": false}}],
    })
}

/// A `/facts` page: the titles listed and each a button, with "previous"/"next" when needed.
pub(crate) fn topics(page: &TopicsPage, topic: &str) -> Value {
    let lang = page.lang;
    let heading = lang.text(Msg::TopicsHeading, &[("topic", &truncate(topic, 200))]);
    let mut list = format!("{}\n", escape(&heading));
    for (number, (_, title)) in page.topics.iter().enumerate() {
        list.push_str(&format!(
            "\n{}. {}",
            page.page * PER_PAGE + number + 1,
            fit(title, 250)
        ));
    }
    let mut blocks = vec![section(list)];
    blocks.extend(actions(page.topics.iter().filter_map(|(id, title)| {
        button(&ButtonId::follow_up(id), title, false)
    })));
    let nav = [
        (page.previous(), lang.text(Msg::PreviousPage, &[])),
        (page.next(), lang.text(Msg::NextPage, &[])),
    ]
    .into_iter()
    .filter_map(|(target, label)| button(&ButtonId::Page(target?), &label, true));
    blocks.extend(actions(nav));
    if page.pages > 1 {
        let footer = lang.text(
            Msg::TopicsPage,
            &[
                ("page", &(page.page + 1).to_string()),
                ("pages", &page.pages.to_string()),
            ],
        );
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": footer}]}));
    }
    let fallback = escape(heading.trim_end_matches(':'));
    json!({"text": fallback, "blocks": blocks})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::FactId;

    fn reply(text: &str, snippet: &str, buttons: usize) -> Answered {
        let mut reply = Reply::sample(text, snippet, buttons);
        let quote = reply.quote.as_mut().unwrap();
        quote.publisher = "Daily <Test>".to_owned();
        quote.title = "A story".to_owned();
        quote.url = Some("https://example.org/a?x=1&y=2".to_owned());
        Answered {
            resolves: None,
            reply,
            helpful: None,
        }
    }

    #[test]
    fn an_answer_has_its_quote_linked_source_and_buttons() {
        let body = answer(&reply("June <!channel> 23.", "From June 23\nto 28.", 3));
        let blocks = body["blocks"].as_array().unwrap();
        assert_eq!(blocks[0]["text"]["text"], "June &lt;!channel&gt; 23.");
        assert_eq!(
            blocks[1]["text"]["text"],
            "> \u{201C}From June 23\n> to 28.\u{201D}"
        );
        assert_eq!(
            blocks[2]["elements"][0]["text"],
            "<https://example.org/a?x=1&amp;y=2|Daily &lt;Test&gt;>, \u{201C}A story\u{201D}, 2024-07-04"
        );
        assert_eq!(blocks[3]["type"], "actions");
        assert_eq!(blocks[3]["elements"][0]["action_id"], "fu:fact-0");
        assert_eq!(body["text"], "June &lt;!channel&gt; 23.");
        assert!(body.get("link_names").is_none());
    }

    #[test]
    fn every_limit_holds_at_and_past_the_edge() {
        for text in [
            "a".repeat(limits::SLACK_SECTION_TEXT),
            "&".repeat(5000),
            "<@U1> ".repeat(900),
        ] {
            let mut answered = reply(&text, &"> <!here>\n".repeat(800), 30);
            answered.reply.buttons[0].label = "l".repeat(200);
            answered.reply.buttons[1].fact = FactId::new_unchecked("x".repeat(300));
            answered.helpful = Some([
                ButtonId::helpful(None, &FactId::new_unchecked("trip"), true),
                ButtonId::helpful(None, &FactId::new_unchecked("trip"), false),
            ]);
            let body = answer(&answered);
            let blocks = body["blocks"].as_array().unwrap();
            assert!(blocks.len() <= limits::SLACK_BLOCKS);
            for block in blocks {
                if let Some(text) = block["text"]["text"].as_str() {
                    assert!(
                        text.chars().count() <= limits::SLACK_SECTION_TEXT,
                        "{}",
                        text.len()
                    );
                    assert!(!text.contains("<!") && !text.contains("<@"));
                }
                for element in block["elements"].as_array().into_iter().flatten() {
                    if let Some(id) = element["action_id"].as_str() {
                        assert!(id.len() <= limits::SLACK_ACTION_ID);
                        assert!(!id.contains("xxx"), "an id over 255 is left out");
                        assert!(
                            element["value"].as_str().unwrap().len() <= limits::SLACK_BUTTON_VALUE
                        );
                        assert!(
                            element["text"]["text"].as_str().unwrap().chars().count()
                                <= limits::SLACK_BUTTON_TEXT
                        );
                    }
                }
            }
            assert!(body["text"].as_str().unwrap().chars().count() <= limits::SLACK_FALLBACK_TEXT);
        }
        assert_eq!(
            fit(&"a".repeat(3000), 3000),
            "a".repeat(3000),
            "text at the limit is kept whole"
        );
        let escaped = fit(&"&".repeat(3000), 3000);
        assert!(escaped.chars().count() <= 3000);
        assert!(
            escaped.ends_with("&amp;\u{2026}"),
            "never cut inside an escape"
        );
    }

    #[test]
    fn a_link_that_could_break_out_is_not_linked() {
        let mut answered = reply("a", "b", 0);
        answered.reply.quote.as_mut().unwrap().url = Some("https://x.org/|<!channel>".into());
        let body = answer(&answered);
        let source = body["blocks"][2]["elements"][0]["text"].as_str().unwrap();
        assert!(source.starts_with("Daily &lt;Test&gt;,"), "{source}");
    }

    #[test]
    fn a_suggestions_report_has_add_and_dismiss_buttons_and_a_warned_one_is_red() {
        let mut shown = Report::new("1. …\n2. …", crate::conversation::Tone::Info);
        shown.actions = (1..=2)
            .map(|number| crate::conversation::ReportAction {
                number,
                add: ButtonId::SuggestionAdd(format!("{number:010x}")),
                dismiss: ButtonId::SuggestionDismiss(format!("{number:010x}")),
                warned: number == 2,
            })
            .collect();
        let body = report(&shown);
        let blocks = body["blocks"].as_array().unwrap();
        assert_eq!(
            blocks.len(),
            3,
            "the text, then one actions block per suggestion"
        );
        let first = &blocks[1]["elements"];
        assert_eq!(first[0]["action_id"], "sa:0000000001");
        assert_eq!(first[0]["text"]["text"], "Add #1");
        assert_eq!(first[0]["style"], "primary");
        assert_eq!(first[1]["action_id"], "sd:0000000001");
        let warned = &blocks[2]["elements"][0];
        assert_eq!(warned["text"]["text"], "Add #2 anyway");
        assert_eq!(warned["style"], "danger");
    }

    #[test]
    fn a_topics_page_is_in_its_language() {
        let page = TopicsPage {
            page: 0,
            pages: 2,
            topics: vec![(FactId::new_unchecked("a".to_owned()), "¿P?".to_owned())],
            lang: crate::lang::Lang::ES,
        };
        let text = topics(&page, "Una historia").to_string();
        assert!(
            text.contains("Lo que puedo contarte sobre Una historia:"),
            "{text}"
        );
        assert!(
            text.contains("Página 1 de 2") && text.contains("Siguiente"),
            "{text}"
        );
        assert!(!text.contains("What I can tell you"), "{text}");
    }

    #[test]
    fn topics_pages_have_buttons_and_navigation() {
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
            lang: crate::lang::Lang::EN,
        };
        let body = topics(&page, "A <story>");
        let blocks = body["blocks"].as_array().unwrap();
        assert!(blocks[0]["text"]["text"]
            .as_str()
            .unwrap()
            .starts_with("What I can tell you about A &lt;story&gt;:\n\n11. Question 10?"));
        assert_eq!(blocks[1]["elements"].as_array().unwrap().len(), 10);
        let nav: Vec<&str> = blocks[2]["elements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["action_id"].as_str().unwrap())
            .collect();
        assert_eq!(nav, ["fp:0", "fp:2"]);
        assert_eq!(blocks[3]["elements"][0]["text"], "Page 2 of 3");
    }
}
