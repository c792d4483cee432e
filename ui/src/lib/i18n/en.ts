// Every sentence the window says, in English. Its shape is the Dutch
// catalogue's (`Messages`): a missing or extra key fails `npm run check`.
import type { DateOrderDto } from "../api/bindings";
import type { Messages } from "./nl";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const ORDER: Record<DateOrderDto, string> = {
  dayMonthYear: "day-month-year",
  monthDayYear: "month-day-year",
  yearMonthDay: "year-month-day",
};

export const en: Messages = {
  app: {
    brand: "Kluis",
    demoBadge: "Demo · fictional data",
    demoTitle: "There is no vault on this laptop yet. Everything you see is made up.",
    version: (v) => `v${v}`,
    isolationFrame: "Kluis's protection (invisible)",
    somethingWrong: "Something went wrong. Please try again.",
    unavailable: (p) =>
      p.kind === "inUse"
        ? "The vault is already open in another Kluis. Close that one first."
        : `The vault cannot be opened (${p.detail}). Ask the administrator.`,
  },
  who: {
    admin: "Administrator",
    recovery: "Recovery key",
  },
  lock: {
    title: "Kluis is locked",
    whoAreYou: "Who are you?",
    passphrase: "Passphrase",
    recoveryKey: "Recovery key",
    reason: "Reason (recorded)",
    unlock: "Unlock",
    unlocking: "Unlocking…",
    dayClosed:
      "The day is closed. You can unlock again tomorrow. The administrator can open the vault with a reason; the day stays closed.",
    outsideShift: (shifts) =>
      `Outside the shift hours${shifts ? ` (${shifts})` : ""}: only the administrator or the recovery key can unlock now, with a reason.`,
    tryAgainIn: (seconds) => `Try again in ${seconds} s.`,
    why: {
      idle: "Locked: no activity for a while.",
      osLocked: "Locked: the laptop's screen was locked.",
      suspend: "Locked: the laptop went to sleep.",
      byHand: "Locked.",
      dayClosed: "The day is closed. You can unlock again tomorrow.",
    },
    sealed: (id, conversations, messages, check) =>
      `Package ${id} is sealed (${plural(conversations, "conversation", "conversations")}, ${plural(messages, "message", "messages")}). Check code for the log book: ${check}.`,
  },
  errors: {
    wrongPassphrase: (failures) =>
      failures > 0 ? `Wrong passphrase (attempt ${failures}).` : "Wrong passphrase.",
    tooSoon: "Too many failed attempts.",
    outsideShift: "Outside the shift hours only the administrator (or the recovery key) can unlock, with a reason.",
    reasonNeeded: "Give a reason: outside the shift hours and after the closing it is recorded.",
    dayClosed: "The day is closed. You can unlock again tomorrow.",
    adminNeeded: (failures) =>
      `${failures} failed attempts in a row: only the administrator (or the recovery key) can unlock now.`,
    notPermitted: "Only the administrator may do this.",
    unlockFailed: "Unlocking failed. Please try again.",
    conversationNotFound: "This conversation does not exist (any more).",
    locked: "The vault is locked.",
    noVault: "This needs a vault; the demo has none.",
    noTarget: "No folder is set for the package: ask the administrator.",
    notSetUp: (setting) =>
      `Kluis is not fully set up yet (the setting ${setting} is missing): ask the administrator. Nothing was recorded.`,
    seal: (detail) => `Sealing failed; the day is still open and nothing was recorded (${detail}).`,
    vault: (detail) => `The vault could not do it (${detail}).`,
    clipboard: "The clipboard did not take the reply; nothing was copied.",
    media: "This file cannot be shown now.",
    noSuchDate: (day: string) => `${day} does not exist: choose another date.`,
  },
  console: {
    imports: "Imports",
    closeDay: "Close the day",
    lock: "Lock",
    closingSoon: (at) => `Kluis closes at ${at}. Finish your work; shortly after, the day is closed.`,
    clockSetBack: (minutes) =>
      `The laptop's clock was set back by ${minutes} minutes. Kluis counts on from the latest time it saw; this is recorded.`,
    dropHere: "Let go to import the export",
    dropLocked: "Unlock Kluis first: nothing is imported now",
  },
  search: {
    results: "Search results",
    count: (hits: number, conversations: number) =>
      `${plural(hits, "hit", "hits")} in ${plural(conversations, "conversation", "conversations")}`,
    cutOff: "Only the newest messages were searched: make the search more precise or choose a period.",
    none: "Nothing found. Search for part of a word, a number in any format, or \"a phrase in quotes\".",
    more: (n: number) => `${plural(n, "more hit", "more hits")}`,
    from: "From",
    to: "Up to and including",
    period: "Period (messages and notes)",
    openHit: (chat: string) => `Open ${chat} at this hit`,
    places: {
      message: "Message",
      entry: "Note or record",
      handover: "Handover",
      chatName: "Conversation name",
      reference: "Case number",
      label: "Label",
      participant: "A participant's name or number",
    },
    hint: "Arrow down: to the results · Enter: open the first",
  },
  conversations: {
    listLabel: "Conversations",
    paneLabel: "Conversation",
    messages: "Messages",
    search: "Search conversations (/ or Ctrl+K)",
    count: (n) => plural(n, "conversation", "conversations"),
    none: "No conversations found.",
    choose: "Choose a conversation on the left.",
    keys: "Alt+J / Alt+K: next / previous conversation · / or Ctrl+K: search · ?: all shortcuts",
    gap: (from, to) => `Messages may be missing here: nothing between ${from} and ${to} was exported.`,
    gapBefore: (day) => `Messages may be missing here: what came before ${day} was not exported.`,
    fromExport: (name) => `From the export ${name}`,
    edited: "edited",
    deletedLater: (day) => `Later deleted by the citizen (so shown in an export imported on ${day}); the text is kept.`,
    beforeEdit: (day) => `Earlier text, from an export imported on ${day}:`,
    reference: "Case number",
    today: "Today",
    state: {
      new: "New",
      open: "Open",
      waitingOnCitizen: "Waiting on the citizen",
      snoozed: "Snoozed",
      resolved: "Resolved",
    },
    snoozedUntil: (at) => `Snoozed until ${at}`,
    snoozedForReply: "Snoozed until the citizen writes",
    reopenedCitizen: "Reopened: the citizen wrote again",
    reopenedSnooze: "Reopened: the snooze ended",
    waiting: (minutes) =>
      minutes < 60
        ? `waiting ${minutes} min`
        : minutes < 24 * 60
          ? `waiting ${Math.floor(minutes / 60)} h ${minutes % 60} min`
          : `waiting ${plural(Math.floor(minutes / (24 * 60)), "day", "days")}`,
    unseen: (n) => `${n} new`,
    handoverMark: "Handover",
    pendingReplies: (n) => `${plural(n, "reply", "replies")} not seen yet`,
    filters: "Filters and order",
    stateFilter: "Status",
    allStates: "All statuses",
    labelFilter: "Label",
    allLabels: "All labels",
    handoverOnly: "Handover",
    todayOnly: "In today",
    orderLabel: "Order",
    order: {
      longestWaiting: "Longest waiting first",
      newest: "Newest first",
      name: "By name",
    },
    chooseRow: (name) => `Choose ${name} for a bulk change`,
    chosen: (n) => `${n} chosen`,
    bulkStatus: "Status of the chosen",
    bulkLabel: "Label for the chosen",
    bulkApply: "Apply",
    bulkClear: "Clear the choice",
    bulkDone: (n) => `${plural(n, "conversation", "conversations")} changed.`,
  },
  case: {
    title: "Case",
    setStatus: "Status",
    open: "Open (Alt+U)",
    waiting: "Waiting on the citizen (Alt+W)",
    resolveNext: "Resolved, next (Alt+E)",
    snooze: "Snooze until (Alt+S)",
    snoozeAt: "Snooze",
    snoozeReply: "Until the citizen writes",
    labels: "Labels (Alt+L)",
    addLabel: "Add a label",
    removeLabel: (name) => `Remove the label ${name}`,
    labelRemoved: "no longer on the list",
    reference: "Case number",
    referenceHint: (pattern) => `Form: ${pattern}`,
    save: "Save",
    handover: "Handover note (Alt+O)",
    handoverHint: "For the next shift; they see it first after unlocking.",
    handoverBy: (by, at) => `Written by ${by}, ${at}`,
    handoverSave: "Save the handover",
    note: "Internal note (Alt+N)",
    noteHint: "Never part of a reply to the citizen.",
    noteAdd: "Add the note",
    entry: "Record by hand",
    entryKind: "What",
    entryKinds: {
      call: "Phone call",
      visit: "Visit at the desk",
      channel: "Reply by another channel",
    },
    entryAt: "Time",
    entryText: "What was said or done",
    entryAdd: "Record",
    saved: "Saved.",
    problem: (p) => {
      switch (p.kind) {
        case "empty":
          return "Fill something in first.";
        case "tooLong":
          return `This is too long: at most ${p.max} characters.`;
        case "controlCharacter":
          return "There is an invisible control character in this; remove it.";
        case "referenceMismatch":
          return `This case number does not have the form the administrator set (${p.pattern}).`;
        case "referenceTaken":
          return "Another conversation has this case number already.";
        case "snoozeInPast":
          return "That time has passed: choose a moment in the future.";
        case "entryInFuture":
          return "That time is in the future.";
        case "entryTooOld":
          return `A hand-written entry can be dated at most ${p.days} days back.`;
        case "unknownLabel":
          return "This label is not on the administrator's list.";
        case "removedLabel":
          return "The administrator took this label off the list.";
        case "unknownPlaceholder":
          return `Unknown placeholder {${p.name}}.`;
        case "unfilled":
          return `Fill in {${p.name}} first.`;
        case "alreadySent":
          return "This reply is in an export as sent already.";
        case "noneChosen":
          return "Choose one or more conversations first.";
        case "oneReferenceOneConversation":
          return "A case number belongs to one conversation.";
        case "other":
          return "This could not be saved; nothing changed.";
      }
    },
  },
  reply: {
    title: "Reply (Alt+R)",
    placeholder: "Type / and a few letters for a canned reply",
    suggestions: "Canned replies",
    noSuggestions: "No canned reply found.",
    missing: (names) => `Still to fill in: ${names.map((n) => `{${n}}`).join(", ")}`,
    copy: "Copy for WhatsApp",
    copied: "Set out. Paste it into WhatsApp on the phone; the clipboard is cleared in 30 seconds.",
  },
  media: {
    missing: (name) => `${name} was not in the export.`,
    failed: (name) => `${name} cannot be shown.`,
    loading: "Loading…",
    document: (mime, size) => (size ? `${mime}, ${size}` : mime),
    enlarge: (name) => `View ${name} large`,
    listen: (name) => `Listen to ${name}`,
    watch: (name) => `Watch the video ${name}`,
    viewer: "Photo, large",
    zoomIn: "Zoom in",
    zoomOut: "Zoom out",
    zoom: (percent) => `${percent}%`,
    keys: "+ / − / 0: zoom · Esc: close",
    close: "Close",
  },
  timeline: {
    kinds: {
      note: "Internal note",
      call: "Phone call",
      visit: "Visit at the desk",
      channel: "Reply by another channel",
      reply: "Reply set out",
    },
    by: (operator) => `recorded by ${operator}, not from an export`,
    sentAt: (at) => `sent at ${at} (by the export)`,
    notSeen: "not seen in any export yet",
    withdrawn: "not sent",
    withdraw: "Not sent",
  },
  keys: {
    title: "Keyboard shortcuts",
    close: "Close",
    open: "Shortcuts (?)",
    list: [
      ["Alt+J / Alt+K", "Next / previous conversation"],
      ["Alt+E", "Resolved, and on to the next waiting conversation"],
      ["Alt+U / Alt+W", "Open / waiting on the citizen"],
      ["Alt+S", "Snooze"],
      ["Alt+L", "Labels"],
      ["Alt+N", "Internal note"],
      ["Alt+O", "Handover note"],
      ["Alt+R", "Write a reply"],
      ["/ or Ctrl+K", "Search"],
      ["? or Ctrl+/", "This list"],
      ["Esc", "Close"],
    ],
  },
  handovers: {
    title: "Handover from the previous shift",
    intro: "These notes were left for you:",
    open: "Open",
    close: "Read",
  },
  imports: {
    title: "Imports",
    close: "Close",
    putExports: "Put exports in",
    orDrop: "or drop them on this window.",
    latest: "Latest imports",
    nothingYet: "Nothing imported since the unlock.",
    viaDrop: "dropped",
    viaInbox: "from the inbox",
    quarantine: (n) => `In quarantine (${n})`,
    quarantineEmpty: "No files set aside.",
    quarantineIntro: "These files could not be imported. They are in",
    quarantineOutro: ", with the reason beside them.",
    imported: (name, fresh, parts) => `${fresh ? `${name} (new conversation)` : name}: ${parts.join(", ")}`,
    newMessages: (n) => `${n} new`,
    already: (n) => `${n} already present`,
    deletedLater: (n) => `${plural(n, "message", "messages")} deleted by the citizen since (text kept)`,
    restored: (n) => `${plural(n, "deleted message", "deleted messages")} completed with the text from this older export`,
    edited: (n) => `${plural(n, "message", "messages")} edited (earlier text kept)`,
    captions: (n) => `${plural(n, "caption", "captions")} added`,
    mediaStored: (n) => plural(n, "file stored", "files stored"),
    mediaMissing: (n) => `${plural(n, "file", "files")} missing from the export`,
    refusedInbox: (why) => `Not imported, put in quarantine: ${why}`,
    refusedDrop: (why) => `Not imported (the file is still where it was): ${why}`,
    failedInbox: (why) => `Not imported yet, Kluis tries again: ${why}`,
    failedDrop: (why) => `Not imported: ${why}`,
    problem: (p) => {
      switch (p.kind) {
        case "vanished":
          return "The file disappeared while Kluis was reading it.";
        case "unreadable":
          return `The file could not be read (${p.detail}).`;
        case "symlink":
          return "This is a shortcut; Kluis takes only the export file itself.";
        case "noExport":
          return "There is no WhatsApp export in it (no .txt or .zip).";
        case "notAFile":
          return "This is not a file (but a device, a socket or a pipe).";
        case "noMessages":
          return "This is not a WhatsApp export: no line starts like a WhatsApp message (a date, a time and a name).";
        case "impossibleDate":
          return `This is not a WhatsApp export: the message at line ${p.line ?? "?"} has a date that does not exist.`;
        case "messageTooLong":
          return `This is not a WhatsApp export: the message at line ${p.line ?? "?"} is longer than WhatsApp ever writes.`;
        case "chatTooLarge":
          return `This is not a WhatsApp export: the chat text is larger than ${p.limitMib} MiB, larger than any export (40,000 messages are about 4 MB).`;
        case "unlistable":
          return `Kluis cannot read what is in it (${p.detail}): folders nested too deep or names too long, or no permission.`;
        case "tooManyInOneSecond":
          return "This is not a WhatsApp export: it holds more than 65,536 messages in one second, more than any chat has.";
        case "damaged":
          return `The file is damaged (${p.detail}).`;
        case "zipRefused":
          return `The zip file was refused (${p.detail}).`;
        case "locked":
          return "The vault locked before this file's turn; it is imported after the unlock.";
        case "notOpen":
          return "The vault is locked: unlock it and drop the file again.";
        case "demo":
          return "This is the demo: there is no vault to keep it in. Nothing was imported.";
        case "vault":
          return `The vault could not store it (${p.detail}).`;
        case "stray":
          return "No chat in the folder it came in refers to it.";
        case "noted":
          return `See the note in the quarantine (${p.detail}).`;
        case "unexplained":
          return "There is no note from Kluis beside it.";
      }
    },
    leftBehind: (l) => {
      switch (l.kind) {
        case "changed":
          return "The file changed while it was imported; it is read again.";
        case "notRemoved":
          return `The file could not be removed from the inbox (${l.detail}).`;
        case "setAside":
          return `${l.file} was put in quarantine: ${en.imports.problem(l.problem)}`;
        case "notSetAside":
          return `${l.file} could not be put in quarantine either (${l.detail}).`;
        case "notOverwritten":
          return `${l.file} was taken out of the inbox but not overwritten: the same file has another name (a hard link) elsewhere on the disk. Remove that too.`;
      }
    },
    warning: (w) => {
      switch (w.kind) {
        case "ambiguousDates":
          return `The dates were read as ${ORDER[w.readAs]}, but may be ${ORDER[w.couldBe]}: check a few dates.`;
        case "invalidBytes":
          return `${w.messages} messages hold characters that could not be read; they show as \u{fffd}.`;
        case "preamble":
          return `${w.lines} lines before the first message are only in the original file.`;
        case "possiblyCut":
          return `The export has exactly ${w.messages} messages, WhatsApp's limit: older messages are probably missing.`;
        case "gapBefore":
          return "This export does not join what was there: messages before it may be missing.";
        case "gapAfter":
          return "This export does not join what was there: messages after it may be missing.";
        case "sameNameOtherParticipants":
          return "A conversation with this name but other participants exists; this one is kept apart.";
      }
    },
    inboxProblem: (p) => {
      switch (p.kind) {
        case "setting":
          return `The inbox's setting cannot be read (${p.detail}).`;
        case "create":
          return `The inbox ${p.dir} cannot be created (${p.detail}).`;
        case "watch":
          return `The inbox ${p.dir} cannot be watched (${p.detail}).`;
        case "read":
          return `The inbox cannot be read (${p.detail}).`;
      }
    },
  },
  closing: {
    title: "Close the day",
    close: "Close",
    inboxEmpty: "The inbox is empty: every export is imported.",
    inboxWaiting: (n) => `${plural(n, "export is", "exports are")} still waiting in the inbox.`,
    noneOpen: "No open conversations.",
    open: (n) => `${plural(n, "conversation is", "conversations are")} still open.`,
    withoutHandover: "Without a handover note:",
    repliesNotSeen: (n) => `${plural(n, "reply", "replies")} not seen yet: export these conversations again.`,
    allSeen: "Every reply set out is in an export.",
    accountMissing:
      "Kluis sees a reply as sent only when an export shows it from the municipality's WhatsApp account. That account is not set yet: ask the administrator to set municipality.account.",
    openOne: (name) => `Open ${name}`,
    noTarget: "No folder is set for the package: ask the administrator.",
    targetReady: "The package goes to",
    insertStick: "Insert the USB stick:",
    notThere: "is not there.",
    lookAgain: "Look again",
    seal: "Seal and close",
    sealing: "Sealing…",
    sealFailed: "Sealing failed. Please try again.",
    after: "After sealing, Kluis is locked until tomorrow.",
  },
};
