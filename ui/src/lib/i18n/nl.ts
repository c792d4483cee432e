// Every sentence the window says, in Dutch (the default). The English
// catalogue must have the same shape: a missing key fails `npm run check`.
import type {
  CaseProblem,
  DateOrderDto,
  ImportProblem,
  InboxProblem,
  LeftBehind,
  LockReason,
  Unavailable,
  WarningDto,
} from "../api/bindings";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const ORDER: Record<DateOrderDto, string> = {
  dayMonthYear: "dag-maand-jaar",
  monthDayYear: "maand-dag-jaar",
  yearMonthDay: "jaar-maand-dag",
};

export const nl = {
  app: {
    brand: "Kluis",
    demoBadge: "Demo · fictieve gegevens",
    demoTitle: "Er is nog geen kluis op deze laptop. Alles wat u ziet is verzonnen.",
    version: (v: string) => `v${v}`,
    isolationFrame: "Beveiliging van Kluis (onzichtbaar)",
    somethingWrong: "Er ging iets mis. Probeer het opnieuw.",
    unavailable: (p: Unavailable) =>
      p.kind === "inUse"
        ? "De kluis is al geopend door een ander Kluis-programma. Sluit dat eerst."
        : `De kluis kan niet worden geopend (${p.detail}). Vraag het de beheerder.`,
  },
  who: {
    admin: "Beheerder",
    recovery: "Herstelsleutel",
  },
  lock: {
    title: "Kluis is vergrendeld",
    whoAreYou: "Wie bent u?",
    passphrase: "Wachtwoord",
    recoveryKey: "Herstelsleutel",
    reason: "Reden (wordt vastgelegd)",
    unlock: "Ontgrendelen",
    unlocking: "Bezig met ontgrendelen…",
    dayClosed:
      "De dag is afgesloten. Morgen kunt u weer ontgrendelen. De beheerder kan de kluis met een reden openen; de dag blijft afgesloten.",
    outsideShift: (shifts: string) =>
      `Buiten de diensttijden${shifts ? ` (${shifts})` : ""}: alleen de beheerder of de herstelsleutel kan nu ontgrendelen, met een reden.`,
    tryAgainIn: (seconds: number) => `Probeer het over ${seconds} s opnieuw.`,
    why: {
      idle: "Vergrendeld: een tijd geen activiteit.",
      osLocked: "Vergrendeld: het scherm van de laptop werd vergrendeld.",
      suspend: "Vergrendeld: de laptop ging in slaapstand.",
      byHand: "Vergrendeld.",
      dayClosed: "De dag is afgesloten. Morgen kunt u weer ontgrendelen.",
    } satisfies Record<LockReason, string>,
    sealed: (id: string, conversations: number, messages: number, check: string) =>
      `Pakket ${id} is verzegeld (${plural(conversations, "gesprek", "gesprekken")}, ${plural(messages, "bericht", "berichten")}). Controlecode voor het logboek: ${check}.`,
  },
  errors: {
    wrongPassphrase: (failures: number) =>
      failures > 0 ? `Onjuist wachtwoord (poging ${failures}).` : "Onjuist wachtwoord.",
    tooSoon: "Te veel mislukte pogingen.",
    outsideShift: "Buiten de diensttijden kan alleen de beheerder (of de herstelsleutel) ontgrendelen, met een reden.",
    reasonNeeded: "Geef een reden: buiten de diensttijden en na het afsluiten wordt die vastgelegd.",
    dayClosed: "De dag is afgesloten. Morgen kunt u weer ontgrendelen.",
    adminNeeded: (failures: number) =>
      `${failures} mislukte pogingen achter elkaar: alleen de beheerder (of de herstelsleutel) kan nu ontgrendelen.`,
    notPermitted: "Dit mag alleen de beheerder.",
    unlockFailed: "Ontgrendelen is mislukt. Probeer het opnieuw.",
    conversationNotFound: "Dit gesprek bestaat niet (meer).",
    locked: "De kluis is vergrendeld.",
    noVault: "Dit kan alleen met een kluis, niet in de demo.",
    noTarget: "Er is geen doelmap voor het pakket ingesteld: vraag het de beheerder.",
    notSetUp: (setting: string) =>
      `Kluis is nog niet helemaal ingericht (de instelling ${setting} ontbreekt): vraag het de beheerder. Er is niets vastgelegd.`,
    seal: (detail: string) => `Verzegelen is mislukt; de dag is nog open en er is niets vastgelegd (${detail}).`,
    vault: (detail: string) => `De kluis kon het niet doen (${detail}).`,
    clipboard: "Het klembord nam het antwoord niet aan; er is niets gekopieerd.",
    media: "Dit bestand kan nu niet worden getoond.",
    noSuchDate: (day: string) => `${day} bestaat niet: kies een andere datum.`,
  },
  console: {
    imports: "Inlezen",
    closeDay: "Dag afsluiten",
    lock: "Vergrendelen",
    closingSoon: (at: string) => `Om ${at} sluit Kluis. Rond uw werk af; kort daarna wordt de dag afgesloten.`,
    clockSetBack: (minutes: number) =>
      `De klok van de laptop is ${minutes} minuten teruggezet. Kluis telt door vanaf de laatst geziene tijd; dit is vastgelegd.`,
    dropHere: "Laat los om de export in te lezen",
    dropLocked: "Ontgrendel Kluis eerst: er wordt nu niets ingelezen",
  },
  search: {
    results: "Zoekresultaten",
    count: (hits: number, conversations: number) =>
      `${plural(hits, "treffer", "treffers")} in ${plural(conversations, "gesprek", "gesprekken")}`,
    cutOff: "Alleen de nieuwste berichten zijn doorzocht: maak de zoekopdracht preciezer of kies een periode.",
    none: "Niets gevonden. Zoek op een deel van een woord, een nummer in elke schrijfwijze, of \"een zin tussen aanhalingstekens\".",
    more: (n: number) => `nog ${plural(n, "treffer", "treffers")}`,
    from: "Van",
    to: "Tot en met",
    period: "Periode (berichten en notities)",
    openHit: (chat: string) => `Open ${chat} bij deze treffer`,
    places: {
      message: "Bericht",
      entry: "Notitie of vastlegging",
      handover: "Overdracht",
      chatName: "Naam van het gesprek",
      reference: "Zaaknummer",
      label: "Label",
      participant: "Naam of nummer van een deelnemer",
    },
    hint: "Pijl omlaag: naar de resultaten · Enter: open de eerste",
  },
  conversations: {
    listLabel: "Gesprekken",
    paneLabel: "Gesprek",
    messages: "Berichten",
    search: "Zoek in gesprekken (/ of Ctrl+K)",
    count: (n: number) => plural(n, "gesprek", "gesprekken"),
    none: "Geen gesprekken gevonden.",
    choose: "Kies links een gesprek.",
    keys: "Alt+J / Alt+K: volgend / vorig gesprek · / of Ctrl+K: zoeken · ?: alle sneltoetsen",
    gap: (from: string, to: string) => `Hier kunnen berichten ontbreken: tussen ${from} en ${to} is niet geëxporteerd.`,
    gapBefore: (day: string) => `Hier kunnen berichten ontbreken: wat vóór ${day} kwam, is niet geëxporteerd.`,
    fromExport: (name: string) => `Uit de export ${name}`,
    edited: "bewerkt",
    deletedLater: (day: string) =>
      `Later door de burger verwijderd (zo getoond in een export ingelezen op ${day}); de tekst is bewaard.`,
    beforeEdit: (day: string) => `Eerdere tekst, uit een export ingelezen op ${day}:`,
    reference: "Zaaknummer",
    today: "Vandaag",
    state: {
      new: "Nieuw",
      open: "Open",
      waitingOnCitizen: "Wacht op burger",
      snoozed: "Gesnoozed",
      resolved: "Afgehandeld",
    },
    snoozedUntil: (at: string) => `Gesnoozed tot ${at}`,
    snoozedForReply: "Gesnoozed tot de burger schrijft",
    reopenedCitizen: "Heropend: de burger schreef opnieuw",
    reopenedSnooze: "Heropend: de snooze is verlopen",
    waiting: (minutes: number) =>
      minutes < 60
        ? `wacht ${minutes} min`
        : minutes < 24 * 60
          ? `wacht ${Math.floor(minutes / 60)} u ${minutes % 60} min`
          : `wacht ${plural(Math.floor(minutes / (24 * 60)), "dag", "dagen")}`,
    unseen: (n: number) => `${n} nieuw`,
    handoverMark: "Overdracht",
    pendingReplies: (n: number) => `${plural(n, "antwoord", "antwoorden")} nog niet teruggezien`,
    filters: "Filters en volgorde",
    stateFilter: "Status",
    allStates: "Alle statussen",
    labelFilter: "Label",
    allLabels: "Alle labels",
    handoverOnly: "Overdracht",
    todayOnly: "Vandaag binnen",
    orderLabel: "Volgorde",
    order: {
      longestWaiting: "Langst wachtend eerst",
      newest: "Nieuwste eerst",
      name: "Op naam",
    },
    chooseRow: (name: string) => `${name} kiezen voor een bulkwijziging`,
    chosen: (n: number) => `${n} gekozen`,
    bulkStatus: "Status van de keuze",
    bulkLabel: "Label voor de keuze",
    bulkApply: "Toepassen",
    bulkClear: "Keuze wissen",
    bulkDone: (n: number) => `${plural(n, "gesprek", "gesprekken")} gewijzigd.`,
  },
  case: {
    title: "Zaak",
    setStatus: "Status",
    open: "Open (Alt+U)",
    waiting: "Wacht op burger (Alt+W)",
    resolveNext: "Afgehandeld, volgende (Alt+E)",
    snooze: "Snoozen tot (Alt+S)",
    snoozeAt: "Snooze",
    snoozeReply: "Tot de burger schrijft",
    labels: "Labels (Alt+L)",
    addLabel: "Label toevoegen",
    removeLabel: (name: string) => `Label ${name} verwijderen`,
    labelRemoved: "niet meer in de lijst",
    reference: "Zaaknummer",
    referenceHint: (pattern: string) => `Vorm: ${pattern}`,
    save: "Opslaan",
    handover: "Overdrachtsnotitie (Alt+O)",
    handoverHint: "Voor de volgende dienst; die ziet hem als eerste na het ontgrendelen.",
    handoverBy: (by: string, at: string) => `Geschreven door ${by}, ${at}`,
    handoverSave: "Overdracht opslaan",
    note: "Interne notitie (Alt+N)",
    noteHint: "Nooit deel van een antwoord aan de burger.",
    noteAdd: "Notitie toevoegen",
    entry: "Handmatig vastleggen",
    entryKind: "Wat",
    entryKinds: {
      call: "Telefoongesprek",
      visit: "Bezoek aan de balie",
      channel: "Antwoord via ander kanaal",
    },
    entryAt: "Tijdstip",
    entryText: "Wat er is gezegd of gedaan",
    entryAdd: "Vastleggen",
    saved: "Opgeslagen.",
    problem: (p: CaseProblem): string => {
      switch (p.kind) {
        case "empty":
          return "Vul eerst iets in.";
        case "tooLong":
          return `Dit is te lang: hoogstens ${p.max} tekens.`;
        case "controlCharacter":
          return "Hier staat een onzichtbaar stuurteken in; haal het weg.";
        case "referenceMismatch":
          return `Dit zaaknummer heeft niet de vorm die de beheerder heeft ingesteld (${p.pattern}).`;
        case "referenceTaken":
          return "Een ander gesprek heeft dit zaaknummer al.";
        case "snoozeInPast":
          return "Dat tijdstip is al voorbij: kies een moment in de toekomst.";
        case "entryInFuture":
          return "Dat tijdstip ligt in de toekomst.";
        case "entryTooOld":
          return `Een handmatige aantekening kan hoogstens ${p.days} dagen terug worden gedateerd.`;
        case "unknownLabel":
          return "Dit label staat niet in de lijst van de beheerder.";
        case "removedLabel":
          return "De beheerder heeft dit label uit de lijst gehaald.";
        case "unknownPlaceholder":
          return `Onbekend invulveld {${p.name}}.`;
        case "unfilled":
          return `Vul {${p.name}} eerst in.`;
        case "alreadySent":
          return "Dit antwoord staat al in een export als verzonden.";
        case "noneChosen":
          return "Kies eerst een of meer gesprekken.";
        case "oneReferenceOneConversation":
          return "Een zaaknummer hoort bij één gesprek.";
        case "other":
          return "Dit kon niet worden opgeslagen; er is niets veranderd.";
      }
    },
  },
  reply: {
    title: "Antwoord (Alt+R)",
    placeholder: "Typ / en een paar letters voor een standaardantwoord",
    suggestions: "Standaardantwoorden",
    noSuggestions: "Geen standaardantwoord gevonden.",
    missing: (names: string[]) => `Nog in te vullen: ${names.map((n) => `{${n}}`).join(", ")}`,
    copy: "Kopiëren voor WhatsApp",
    copied: "Klaargezet. Plak het in WhatsApp op de telefoon; het klembord wordt over 30 seconden gewist.",
  },
  media: {
    missing: (name: string) => `${name} zat niet in de export.`,
    failed: (name: string) => `${name} kan niet worden getoond.`,
    loading: "Bezig met laden…",
    document: (mime: string, size: string) => (size ? `${mime}, ${size}` : mime),
    enlarge: (name: string) => `${name} groot bekijken`,
    listen: (name: string) => `${name} beluisteren`,
    watch: (name: string) => `Video ${name} bekijken`,
    viewer: "Foto, groot",
    zoomIn: "Inzoomen",
    zoomOut: "Uitzoomen",
    zoom: (percent: number) => `${percent}%`,
    keys: "+ / − / 0: zoomen · Esc: sluiten",
    close: "Sluiten",
  },
  timeline: {
    kinds: {
      note: "Interne notitie",
      call: "Telefoongesprek",
      visit: "Bezoek aan de balie",
      channel: "Antwoord via ander kanaal",
      reply: "Antwoord klaargezet",
    } as Record<string, string>,
    by: (operator: string) => `vastgelegd door ${operator}, niet uit een export`,
    sentAt: (at: string) => `verzonden om ${at} (volgens de export)`,
    notSeen: "nog in geen export teruggezien",
    withdrawn: "niet verzonden",
    withdraw: "Niet verzonden",
  },
  keys: {
    title: "Sneltoetsen",
    close: "Sluiten",
    open: "Sneltoetsen (?)",
    list: [
      ["Alt+J / Alt+K", "Volgend / vorig gesprek"],
      ["Alt+E", "Afgehandeld, en naar het volgende wachtende gesprek"],
      ["Alt+U / Alt+W", "Open / wacht op burger"],
      ["Alt+S", "Snoozen"],
      ["Alt+L", "Labels"],
      ["Alt+N", "Interne notitie"],
      ["Alt+O", "Overdrachtsnotitie"],
      ["Alt+R", "Antwoord schrijven"],
      ["/ of Ctrl+K", "Zoeken"],
      ["? of Ctrl+/", "Deze lijst"],
      ["Esc", "Sluiten"],
    ] as [string, string][],
  },
  handovers: {
    title: "Overdracht van de vorige dienst",
    intro: "Deze notities zijn voor u achtergelaten:",
    open: "Openen",
    close: "Gelezen",
  },
  imports: {
    title: "Inlezen",
    close: "Sluiten",
    putExports: "Zet exports in",
    orDrop: "of sleep ze op dit venster.",
    latest: "Laatst ingelezen",
    nothingYet: "Nog niets ingelezen sinds het ontgrendelen.",
    viaDrop: "gesleept",
    viaInbox: "uit de inbox",
    quarantine: (n: number) => `In quarantaine (${n})`,
    quarantineEmpty: "Geen bestanden apart gezet.",
    quarantineIntro: "Deze bestanden konden niet worden ingelezen. Ze staan in",
    quarantineOutro: ", met de reden ernaast.",
    imported: (name: string, fresh: boolean, parts: string[]) =>
      `${fresh ? `${name} (nieuw gesprek)` : name}: ${parts.join(", ")}`,
    newMessages: (n: number) => `${n} nieuw`,
    already: (n: number) => `${n} al aanwezig`,
    deletedLater: (n: number) =>
      `${plural(n, "bericht", "berichten")} sindsdien door de burger verwijderd (tekst bewaard)`,
    restored: (n: number) =>
      `${plural(n, "verwijderd bericht", "verwijderde berichten")} met de tekst uit deze oudere export aangevuld`,
    edited: (n: number) => `${plural(n, "bericht", "berichten")} bewerkt (eerdere tekst bewaard)`,
    captions: (n: number) => `${plural(n, "bijschrift", "bijschriften")} aangevuld`,
    mediaStored: (n: number) => plural(n, "bestand opgeslagen", "bestanden opgeslagen"),
    mediaMissing: (n: number) => `${plural(n, "bestand ontbreekt", "bestanden ontbreken")} in de export`,
    refusedInbox: (why: string) => `Niet ingelezen, in quarantaine gezet: ${why}`,
    refusedDrop: (why: string) => `Niet ingelezen (het bestand staat nog waar het stond): ${why}`,
    failedInbox: (why: string) => `Nog niet ingelezen, Kluis probeert het opnieuw: ${why}`,
    failedDrop: (why: string) => `Niet ingelezen: ${why}`,
    problem: (p: ImportProblem): string => {
      switch (p.kind) {
        case "vanished":
          return "Het bestand verdween terwijl Kluis het las.";
        case "unreadable":
          return `Het bestand kon niet worden gelezen (${p.detail}).`;
        case "symlink":
          return "Dit is een snelkoppeling; Kluis neemt alleen het exportbestand zelf.";
        case "noExport":
          return "Hierin staat geen WhatsApp-export (geen .txt of .zip).";
        case "notAFile":
          return "Dit is geen bestand (maar een apparaat, socket of pijp).";
        case "noMessages":
          return "Dit is geen WhatsApp-export: geen regel begint zoals een WhatsApp-bericht (een datum, een tijd en een naam).";
        case "impossibleDate":
          return `Dit is geen WhatsApp-export: het bericht op regel ${p.line ?? "?"} heeft een datum die niet bestaat.`;
        case "messageTooLong":
          return `Dit is geen WhatsApp-export: het bericht op regel ${p.line ?? "?"} is langer dan WhatsApp ooit schrijft.`;
        case "chatTooLarge":
          return `Dit is geen WhatsApp-export: de chattekst is groter dan ${p.limitMib} MiB, groter dan elke export (40.000 berichten zijn ongeveer 4 MB).`;
        case "unlistable":
          return `Kluis kan niet lezen wat erin staat (${p.detail}): mappen te diep genest of namen te lang, of geen toegang.`;
        case "tooManyInOneSecond":
          return "Dit is geen WhatsApp-export: er staan meer dan 65.536 berichten in één seconde in, meer dan een chat ooit heeft.";
        case "damaged":
          return `Het bestand is beschadigd (${p.detail}).`;
        case "zipRefused":
          return `Het zip-bestand is geweigerd (${p.detail}).`;
        case "locked":
          return "De kluis werd vergrendeld voordat dit bestand aan de beurt was; het wordt na het ontgrendelen ingelezen.";
        case "notOpen":
          return "De kluis is vergrendeld: ontgrendel hem en sleep het bestand opnieuw.";
        case "demo":
          return "Dit is de demo: er is geen kluis om in op te slaan. Er is niets ingelezen.";
        case "vault":
          return `De kluis kon het niet opslaan (${p.detail}).`;
        case "stray":
          return "Geen chat in de map waarin het kwam verwijst ernaar.";
        case "noted":
          return `Zie de notitie in de quarantaine (${p.detail}).`;
        case "unexplained":
          return "Er staat geen notitie van Kluis bij.";
      }
    },
    leftBehind: (l: LeftBehind): string => {
      switch (l.kind) {
        case "changed":
          return "Het bestand veranderde tijdens het inlezen; het wordt opnieuw gelezen.";
        case "notRemoved":
          return `Het bestand kon niet uit de inbox worden verwijderd (${l.detail}).`;
        case "setAside":
          return `${l.file} is in quarantaine gezet: ${nl.imports.problem(l.problem)}`;
        case "notSetAside":
          return `${l.file} kon ook niet in quarantaine worden gezet (${l.detail}).`;
        case "notOverwritten":
          return `${l.file} is uit de inbox gehaald maar niet overschreven: hetzelfde bestand staat onder een andere naam (een harde koppeling) nog elders op de schijf. Verwijder dat ook.`;
      }
    },
    warning: (w: WarningDto): string => {
      switch (w.kind) {
        case "ambiguousDates":
          return `De datums zijn gelezen als ${ORDER[w.readAs]}, maar kunnen ook ${ORDER[w.couldBe]} zijn: controleer een paar datums.`;
        case "invalidBytes":
          return `${w.messages} berichten bevatten tekens die niet te lezen waren; die staan er als \u{fffd}.`;
        case "preamble":
          return `${w.lines} regels vóór het eerste bericht staan alleen in het originele bestand.`;
        case "possiblyCut":
          return `De export heeft precies ${w.messages} berichten, de grens van WhatsApp: oudere berichten ontbreken waarschijnlijk.`;
        case "gapBefore":
          return "Deze export sluit niet aan op wat er al was: er kunnen berichten ervóór ontbreken.";
        case "gapAfter":
          return "Deze export sluit niet aan op wat er al was: er kunnen berichten erna ontbreken.";
        case "sameNameOtherParticipants":
          return "Er is al een gesprek met deze naam maar met andere deelnemers; dit gesprek staat apart.";
      }
    },
    inboxProblem: (p: InboxProblem): string => {
      switch (p.kind) {
        case "setting":
          return `De instelling van de inbox is niet te lezen (${p.detail}).`;
        case "create":
          return `De inbox ${p.dir} kan niet worden aangemaakt (${p.detail}).`;
        case "watch":
          return `De inbox ${p.dir} kan niet worden bewaakt (${p.detail}).`;
        case "read":
          return `De inbox kan niet worden gelezen (${p.detail}).`;
      }
    },
  },
  closing: {
    title: "Dag afsluiten",
    close: "Sluiten",
    inboxEmpty: "De inbox is leeg: alle exports zijn ingelezen.",
    inboxWaiting: (n: number) =>
      `Er ${n === 1 ? "wacht nog 1 export" : `wachten nog ${n} exports`} in de inbox.`,
    noneOpen: "Geen open gesprekken.",
    open: (n: number) => `${n} ${n === 1 ? "gesprek staat" : "gesprekken staan"} nog open.`,
    withoutHandover: "Zonder overdrachtsnotitie:",
    repliesNotSeen: (n: number) =>
      `${plural(n, "antwoord", "antwoorden")} nog niet teruggezien: exporteer deze gesprekken opnieuw.`,
    allSeen: "Alle klaargezette antwoorden staan in een export.",
    accountMissing:
      "Kluis ziet een antwoord pas als verzonden wanneer het in een export van het WhatsApp-account van de gemeente staat. Dat account is nog niet ingesteld: vraag de beheerder municipality.account in te stellen.",
    openOne: (name: string) => `${name} openen`,
    noTarget: "Er is geen doelmap voor het pakket ingesteld: vraag het de beheerder.",
    targetReady: "Het pakket gaat naar",
    insertStick: "Steek de USB-stick in:",
    notThere: "is er niet.",
    lookAgain: "Opnieuw kijken",
    seal: "Verzegelen en afsluiten",
    sealing: "Bezig met verzegelen…",
    sealFailed: "Verzegelen is mislukt. Probeer het opnieuw.",
    after: "Na het verzegelen wordt Kluis vergrendeld tot morgen.",
  },
};

export type Messages = typeof nl;
