//! Comparing names by their parts: the same person written "Dr. Jane Smith", "Jane Smith",
//! "J. Smith" or "Smith"; the same place written "Turkey", "Turkish" or "Turkey's"; the same
//! organization written "the California Governor's Office", "the Governor's Office", "the
//! Department of Justice", "the Justice Department" or "DOJ".
//!
//! A name is split into [`parts`]: its words, lowercased, without titles ("Dr", "Detective"),
//! suffixes ("QC", "Jr", "Ltd"), connectors ("of", "the", "al") and possessives; a demonym or
//! adjective of a country or major place ("Turkish", "Korean", "Parisian") and a place of
//! several words ("United States") are read as one place part. Two names are [`same_name`] when
//! one's parts are found, in order, among the other's and the shorter keeps the head (a
//! shortened form: "Smith", "Gangwon" for "Gangwon Province"), where parts match by spelling,
//! by spelling-folded key ([`super::entity_key`], words of five letters or more, a silent final
//! "e" apart), by initial ("J." and "Jane"), as a listed short form ("Bill" and "William") or
//! as the same place; a place before a person's name only describes it ("Indian PM Modi"). Two
//! names that share a distinctive part and differ in another ("Timothy Morrison" / "Thomas
//! Morrison") are a [`partial_change`]. [`capital_for_country`] tells "Beijing" standing for
//! "China".
//!
//! Limits: no gazetteer beyond the demonym and capital tables, so "Gangwon-do" and "Gangwon
//! Province" match only because they share "Gangwon", and a town for its region is another
//! name; short forms of given names only where the table of common English ones lists them.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::entities::{fold_diacritic, is_common, is_institution, is_title};
use super::entity_key;

/// Places and the other forms that name them: demonyms, adjectives, short forms.
const PLACES: &[(&str, &[&str])] = &[
    ("afghanistan", &["afghan", "afghans"]),
    ("albania", &["albanian", "albanians"]),
    ("algeria", &["algerian", "algerians"]),
    ("angola", &["angolan", "angolans"]),
    (
        "argentina",
        &["argentine", "argentinian", "argentinians", "argentines"],
    ),
    ("armenia", &["armenian", "armenians"]),
    ("australia", &["australian", "australians"]),
    ("austria", &["austrian", "austrians"]),
    ("azerbaijan", &["azerbaijani", "azeri", "azerbaijanis"]),
    ("bahrain", &["bahraini", "bahrainis"]),
    ("bangladesh", &["bangladeshi", "bangladeshis"]),
    ("barbados", &["barbadian", "bajan", "barbadians"]),
    ("belarus", &["belarusian", "belarusians"]),
    ("belgium", &["belgian", "belgians"]),
    ("bolivia", &["bolivian", "bolivians"]),
    ("bosnia", &["bosnian", "bosnians"]),
    ("brazil", &["brazilian", "brazilians"]),
    ("bulgaria", &["bulgarian", "bulgarians"]),
    ("burma", &["burmese", "myanmar"]),
    ("cambodia", &["cambodian", "cambodians"]),
    ("cameroon", &["cameroonian", "cameroonians"]),
    ("canada", &["canadian", "canadians"]),
    ("chile", &["chilean", "chileans"]),
    ("china", &["chinese", "prc"]),
    ("colombia", &["colombian", "colombians"]),
    ("congo", &["congolese"]),
    ("croatia", &["croatian", "croat", "croats", "croatians"]),
    ("cuba", &["cuban", "cubans"]),
    ("cyprus", &["cypriot", "cypriots"]),
    ("czechia", &["czech", "czechs", "czech republic"]),
    ("denmark", &["danish", "dane", "danes"]),
    ("ecuador", &["ecuadorian", "ecuadorean", "ecuadorians"]),
    ("egypt", &["egyptian", "egyptians"]),
    ("england", &["english"]),
    ("eritrea", &["eritrean", "eritreans"]),
    ("estonia", &["estonian", "estonians"]),
    ("ethiopia", &["ethiopian", "ethiopians"]),
    ("finland", &["finnish", "finn", "finns"]),
    ("france", &["french"]),
    ("georgia", &["georgian", "georgians"]),
    ("germany", &["german", "germans"]),
    ("ghana", &["ghanaian", "ghanaians"]),
    ("greece", &["greek", "greeks"]),
    ("guatemala", &["guatemalan", "guatemalans"]),
    ("guyana", &["guyanese"]),
    ("haiti", &["haitian", "haitians"]),
    ("honduras", &["honduran", "hondurans"]),
    ("hungary", &["hungarian", "hungarians"]),
    ("iceland", &["icelandic", "icelander", "icelanders"]),
    ("india", &["indian", "indians"]),
    ("indonesia", &["indonesian", "indonesians"]),
    ("iran", &["iranian", "iranians", "persia", "persian"]),
    ("iraq", &["iraqi", "iraqis"]),
    ("ireland", &["irish"]),
    ("israel", &["israeli", "israelis"]),
    ("italy", &["italian", "italians"]),
    ("jamaica", &["jamaican", "jamaicans"]),
    ("japan", &["japanese"]),
    ("jordan", &["jordanian", "jordanians"]),
    ("kazakhstan", &["kazakh", "kazakhs", "kazakhstani"]),
    ("kenya", &["kenyan", "kenyans"]),
    ("korea", &["korean", "koreans"]),
    ("north korea", &["north korean", "north koreans", "dprk"]),
    (
        "south korea",
        &["south korean", "south koreans", "republic of korea", "rok"],
    ),
    ("kosovo", &["kosovar", "kosovan", "kosovars"]),
    ("kuwait", &["kuwaiti", "kuwaitis"]),
    ("latvia", &["latvian", "latvians"]),
    ("lebanon", &["lebanese"]),
    ("libya", &["libyan", "libyans"]),
    ("lithuania", &["lithuanian", "lithuanians"]),
    ("malaysia", &["malaysian", "malaysians"]),
    ("mali", &["malian", "malians"]),
    ("mexico", &["mexican", "mexicans"]),
    ("moldova", &["moldovan", "moldovans"]),
    ("mongolia", &["mongolian", "mongolians"]),
    ("morocco", &["moroccan", "moroccans"]),
    ("mozambique", &["mozambican", "mozambicans"]),
    ("nepal", &["nepalese", "nepali", "nepalis"]),
    ("netherlands", &["dutch", "holland"]),
    (
        "new zealand",
        &["new zealander", "new zealanders", "kiwi", "kiwis"],
    ),
    ("nicaragua", &["nicaraguan", "nicaraguans"]),
    ("nigeria", &["nigerian", "nigerians"]),
    ("norway", &["norwegian", "norwegians"]),
    ("oman", &["omani", "omanis"]),
    ("pakistan", &["pakistani", "pakistanis"]),
    ("palestine", &["palestinian", "palestinians"]),
    ("panama", &["panamanian", "panamanians"]),
    ("paraguay", &["paraguayan", "paraguayans"]),
    ("peru", &["peruvian", "peruvians"]),
    (
        "philippines",
        &["philippine", "filipino", "filipina", "filipinos"],
    ),
    ("poland", &["polish", "pole", "poles"]),
    ("portugal", &["portuguese"]),
    ("qatar", &["qatari", "qataris"]),
    ("romania", &["romanian", "romanians"]),
    ("russia", &["russian", "russians", "russian federation"]),
    ("rwanda", &["rwandan", "rwandans"]),
    ("saudi arabia", &["saudi", "saudis", "saudi arabian"]),
    ("scotland", &["scottish", "scot", "scots"]),
    ("senegal", &["senegalese"]),
    ("serbia", &["serbian", "serb", "serbs"]),
    ("singapore", &["singaporean", "singaporeans"]),
    ("slovakia", &["slovak", "slovakian", "slovaks"]),
    ("slovenia", &["slovenian", "slovene", "slovenes"]),
    ("somalia", &["somali", "somalis"]),
    ("south africa", &["south african", "south africans"]),
    ("spain", &["spanish", "spaniard", "spaniards"]),
    ("sri lanka", &["sri lankan", "sri lankans"]),
    ("sudan", &["sudanese"]),
    ("sweden", &["swedish", "swede", "swedes"]),
    ("switzerland", &["swiss"]),
    ("syria", &["syrian", "syrians"]),
    ("taiwan", &["taiwanese"]),
    ("tanzania", &["tanzanian", "tanzanians"]),
    ("thailand", &["thai", "thais"]),
    (
        "trinidad and tobago",
        &["trinidadian", "trinidad", "trinbagonian", "t&t"],
    ),
    ("tunisia", &["tunisian", "tunisians"]),
    (
        "turkey",
        &["turkish", "turk", "turks", "turkiye", "türkiye"],
    ),
    ("uganda", &["ugandan", "ugandans"]),
    ("ukraine", &["ukrainian", "ukrainians"]),
    (
        "united arab emirates",
        &["uae", "emirati", "emiratis", "emirates"],
    ),
    (
        "united kingdom",
        &[
            "uk",
            "britain",
            "great britain",
            "british",
            "briton",
            "britons",
            "gb",
        ],
    ),
    (
        "united states",
        &[
            "us",
            "usa",
            "america",
            "american",
            "americans",
            "united states of america",
        ],
    ),
    ("uruguay", &["uruguayan", "uruguayans"]),
    ("uzbekistan", &["uzbek", "uzbeks"]),
    ("venezuela", &["venezuelan", "venezuelans"]),
    ("vietnam", &["vietnamese", "viet nam"]),
    ("wales", &["welsh"]),
    ("yemen", &["yemeni", "yemenis"]),
    ("zambia", &["zambian", "zambians"]),
    ("zimbabwe", &["zimbabwean", "zimbabweans"]),
    ("europe", &["european", "europeans", "eu", "european union"]),
    ("africa", &["african", "africans"]),
    ("asia", &["asian", "asians"]),
    ("arabia", &["arab", "arabs", "arabian"]),
    ("caribbean", &["caribbean"]),
    ("california", &["californian", "californians"]),
    ("texas", &["texan", "texans"]),
    ("florida", &["floridian", "floridians"]),
    (
        "new york",
        &["new yorker", "new yorkers", "nyc", "new york city"],
    ),
    ("london", &["londoner", "londoners"]),
    ("paris", &["parisian", "parisians"]),
    ("rome", &["roman", "romans"]),
    ("moscow", &["muscovite", "muscovites"]),
    ("berlin", &["berliner", "berliners"]),
    ("seoul", &["seoulite"]),
    ("tokyo", &["tokyoite"]),
    ("beijing", &["peking"]),
    ("kyiv", &["kiev"]),
    ("mumbai", &["bombay"]),
];

/// Capitals and seats of government, which news writes for their country ("Beijing said").
const CAPITALS: &[(&str, &str)] = &[
    ("washington", "united states"),
    ("ottawa", "canada"),
    ("mexico city", "mexico"),
    ("havana", "cuba"),
    ("caracas", "venezuela"),
    ("bogota", "colombia"),
    ("brasilia", "brazil"),
    ("buenos aires", "argentina"),
    ("london", "united kingdom"),
    ("paris", "france"),
    ("berlin", "germany"),
    ("madrid", "spain"),
    ("lisbon", "portugal"),
    ("rome", "italy"),
    ("athens", "greece"),
    ("vienna", "austria"),
    ("warsaw", "poland"),
    ("prague", "czechia"),
    ("budapest", "hungary"),
    ("stockholm", "sweden"),
    ("oslo", "norway"),
    ("copenhagen", "denmark"),
    ("helsinki", "finland"),
    ("dublin", "ireland"),
    ("brussels", "europe"),
    ("moscow", "russia"),
    ("kremlin", "russia"),
    ("kyiv", "ukraine"),
    ("minsk", "belarus"),
    ("ankara", "turkey"),
    ("tehran", "iran"),
    ("baghdad", "iraq"),
    ("damascus", "syria"),
    ("beirut", "lebanon"),
    ("amman", "jordan"),
    ("riyadh", "saudi arabia"),
    ("doha", "qatar"),
    ("cairo", "egypt"),
    ("tripoli", "libya"),
    ("khartoum", "sudan"),
    ("addis ababa", "ethiopia"),
    ("nairobi", "kenya"),
    ("abuja", "nigeria"),
    ("pretoria", "south africa"),
    ("kabul", "afghanistan"),
    ("islamabad", "pakistan"),
    ("new delhi", "india"),
    ("beijing", "china"),
    ("pyongyang", "north korea"),
    ("seoul", "south korea"),
    ("tokyo", "japan"),
    ("taipei", "taiwan"),
    ("bangkok", "thailand"),
    ("hanoi", "vietnam"),
    ("manila", "philippines"),
    ("jakarta", "indonesia"),
    ("canberra", "australia"),
    ("wellington", "new zealand"),
];

/// Given names and their short forms: a copy desk writes "William" where the wire wrote "Bill".
const NICKNAMES: &[(&str, &[&str])] = &[
    ("abraham", &["abe"]),
    ("albert", &["al", "bert"]),
    ("alexander", &["alex", "alec", "sasha"]),
    ("alexandra", &["alex", "sasha"]),
    ("andrew", &["andy", "drew"]),
    ("anthony", &["tony"]),
    ("barbara", &["barb", "babs"]),
    ("benjamin", &["ben", "benny"]),
    ("catherine", &["cathy", "kate", "katie"]),
    ("charles", &["charlie", "chuck", "chas"]),
    ("christina", &["chris", "tina"]),
    ("christine", &["chris"]),
    ("christopher", &["chris", "kit"]),
    ("daniel", &["dan", "danny"]),
    ("david", &["dave", "davey"]),
    ("deborah", &["debbie", "deb"]),
    ("donald", &["don", "donny"]),
    ("douglas", &["doug"]),
    ("edward", &["ed", "eddie", "ted", "ned"]),
    ("elizabeth", &["liz", "beth", "betty", "lizzie", "eliza"]),
    ("frederick", &["fred", "freddie"]),
    ("gerald", &["jerry", "gerry"]),
    ("gregory", &["greg"]),
    ("harold", &["harry", "hal"]),
    ("henry", &["harry", "hank"]),
    ("james", &["jim", "jimmy", "jamie"]),
    ("jeffrey", &["jeff"]),
    ("jennifer", &["jen", "jenny"]),
    ("jessica", &["jess", "jessie"]),
    ("john", &["jack", "johnny"]),
    ("jonathan", &["jon"]),
    ("joseph", &["joe", "joey"]),
    ("joshua", &["josh"]),
    ("katherine", &["kathy", "kate", "katie"]),
    ("kenneth", &["ken", "kenny"]),
    ("lawrence", &["larry"]),
    ("margaret", &["maggie", "peggy", "meg"]),
    ("matthew", &["matt"]),
    ("michael", &["mike", "mick", "mickey"]),
    ("nathaniel", &["nate", "nat"]),
    ("nicholas", &["nick", "nicky"]),
    ("patricia", &["pat", "trish", "patty"]),
    ("patrick", &["pat", "paddy"]),
    ("peter", &["pete"]),
    ("philip", &["phil"]),
    ("raymond", &["ray"]),
    ("rebecca", &["becky", "becca"]),
    ("richard", &["rick", "ricky", "dick", "rich"]),
    ("robert", &["bob", "bobby", "rob", "robbie", "bert"]),
    ("ronald", &["ron", "ronnie"]),
    ("samantha", &["sam"]),
    ("samuel", &["sam", "sammy"]),
    ("stephen", &["steve", "stevie"]),
    ("steven", &["steve", "stevie"]),
    ("susan", &["sue", "susie"]),
    ("theodore", &["ted", "teddy", "theo"]),
    ("thomas", &["tom", "tommy"]),
    ("timothy", &["tim", "timmy"]),
    ("victoria", &["vicky", "tori"]),
    ("william", &["bill", "billy", "will", "willie", "liam"]),
    ("zachary", &["zach", "zack"]),
];

/// True when `a` and `b` are the same given name in full and short form ("William" / "Bill",
/// "Bill" / "Billy").
/// The entries of [`NICKNAMES`] a name belongs to, full or short (none for most names).
fn nicknames_of(name: &str) -> &'static [usize] {
    NICKNAME_GROUPS.get(name).map_or(&[], Vec::as_slice)
}

/// Every name of [`NICKNAMES`], full or short, to the entries it belongs to: names are compared
/// part by part for every pair of mentions, so this is a lookup, not a scan of the table.
static NICKNAME_GROUPS: LazyLock<HashMap<&'static str, Vec<usize>>> = LazyLock::new(|| {
    let mut map: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (group, &(full, short)) in NICKNAMES.iter().enumerate() {
        for &name in std::iter::once(&full).chain(short) {
            map.entry(name).or_default().push(group);
        }
    }
    map
});

/// The country whose capital `place` is.
fn capital_of(place: &str) -> Option<&'static str> {
    CAPITALS.iter().find(|(c, _)| *c == place).map(|&(_, k)| k)
}

/// Every form of [`PLACES`], lowercased, to its place.
static PLACE_OF: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for &(capital, _) in CAPITALS {
        map.insert(capital, capital);
    }
    for &(place, forms) in PLACES {
        map.insert(place, place);
        for &f in forms {
            map.insert(f, place);
        }
    }
    map
});

/// The place a name or adjective stands for ("Turkish" → "turkey", "the U.S." → "united
/// states"), when it is one of the table's countries or major places.
pub fn place_of(name: &str) -> Option<&'static str> {
    let folded = fold(name);
    let folded = folded.strip_prefix("the ").unwrap_or(&folded);
    PLACE_OF.get(folded).copied()
}

/// Lowercase, without dots, possessives and a trailing "-based"; single spaces.
fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for w in name.split_whitespace() {
        let w = strip_possessive(w);
        let w = w.strip_suffix("-based").unwrap_or(w);
        let w: String = w
            .chars()
            .filter(|&c| c != '.')
            .flat_map(char::to_lowercase)
            .collect();
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&w);
    }
    out
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("'S"))
        .or_else(|| w.strip_suffix('\''))
        .unwrap_or(w)
}

/// Words that never tell one name from another: connectors and honorific suffixes.
fn is_filler(lo: &str) -> bool {
    matches!(
        lo,
        "of" | "for"
            | "the"
            | "and"
            | "al"
            | "el"
            | "de"
            | "del"
            | "da"
            | "di"
            | "du"
            | "van"
            | "von"
            | "der"
            | "den"
            | "la"
            | "le"
            | "qc"
            | "kc"
            | "jr"
            | "sr"
            | "mp"
            | "mep"
            | "ii"
            | "iii"
            | "iv"
            | "phd"
            | "esq"
            | "obe"
            | "mbe"
            | "cbe"
            | "inc"
            | "ltd"
            | "plc"
            | "llc"
            | "llp"
            | "corp"
            | "co"
            | "limited"
            | "holdings"
    )
}

/// One part of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamePart {
    /// The part lowercased, without dots or a possessive ("j" for "J.").
    pub text: String,
    /// Its spelling-folded key ([`entity_key`]).
    pub key: String,
    /// The place it names, when it is a country, major place or their demonym.
    pub place: Option<&'static str>,
    /// The entries of the short-form table it belongs to ("bill" and "william" share one).
    nicknames: &'static [usize],
}

impl NamePart {
    fn new(text: String) -> NamePart {
        let key = entity_key(&text);
        let place = PLACE_OF.get(text.as_str()).copied();
        let nicknames = nicknames_of(&text);
        NamePart {
            text,
            key,
            place,
            nicknames,
        }
    }

    fn is_initial(&self) -> bool {
        let mut chars = self.text.chars();
        chars.next().is_some() && chars.next().is_none()
    }

    /// The same part: same spelling (folded), same initial, or the same place.
    pub fn matches(&self, other: &NamePart) -> bool {
        if self.text == other.text {
            return true;
        }
        if let (Some(a), Some(b)) = (self.place, other.place) {
            return a == b;
        }
        if self.nicknames.iter().any(|g| other.nicknames.contains(g)) {
            return true;
        }
        if self.is_initial() || other.is_initial() {
            let (a, b) = (self.text.chars().next(), other.text.chars().next());
            return a == b;
        }
        // Keys are consonant skeletons: short words collide ("Hama" / "Huma"). A silent final
        // "e" makes another English name ("Rankin" / "Rankine", "Clark" / "Clarke").
        let long = self.text.chars().nth(4).is_some() && other.text.chars().nth(4).is_some();
        let final_e = |a: &str, b: &str| {
            a.strip_suffix('e')
                .is_some_and(|stem| stem == b && !b.ends_with(|c: char| is_vowel(c)))
        };
        long && !self.key.is_empty()
            && self.key == other.key
            && !final_e(&self.text, &other.text)
            && !final_e(&other.text, &self.text)
    }

    /// True when `other` is this part misspelled: the same spelling-folded key (so
    /// [`NamePart::matches`] takes them for one name), both at least five letters, and one
    /// letter added, dropped or replaced once diacritics, case, doubled letters, a silent
    /// final "e" and the vowel digraphs of romanization ("ou" / "u", "ee" / "i") are set
    /// aside: "Shaddock" / "Shaddick", "Sheinkopf" / "Scheinkopf", "Betancourt" /
    /// "Bettencourt"; not "Zelensky" / "Zelenskyy", "Müller" / "Muller", "Harfoush" / "Harfush"
    /// (the same name romanized), nor "Mohammed" / "Muhammad" (two vowels apart: a
    /// transliteration, not a slip). A copy takes its source's spelling; one that respells a
    /// name misspelled it.
    ///
    /// ```
    /// use retrace_text::facts::names::Name;
    /// let part = |t: &str| Name::new(t).parts.remove(0);
    /// assert!(part("Shaddock").respelled(&part("Shaddick")));
    /// assert!(!part("Zelensky").respelled(&part("Zelenskyy")));
    /// assert!(!part("Harfoush").respelled(&part("Harfush")));
    /// assert!(!part("Rankin").respelled(&part("Smith")));
    /// ```
    pub fn respelled(&self, other: &NamePart) -> bool {
        let letters = |t: &str| -> Vec<char> {
            let mut out: Vec<char> = Vec::with_capacity(t.len());
            for c in t.chars().filter(|c| c.is_alphabetic()) {
                for c in c.to_lowercase().map(fold_diacritic) {
                    if out.last() != Some(&c) {
                        out.push(c);
                    }
                }
            }
            if out.len() > 4 && out.last() == Some(&'e') {
                out.pop();
            }
            // Romanization's digraphs for one vowel sound.
            let mut folded: Vec<char> = Vec::with_capacity(out.len());
            let mut k = 0;
            while k < out.len() {
                let pair = (out[k], out.get(k + 1).copied());
                let one = match pair {
                    ('o', Some('u' | 'o')) => Some('u'),
                    ('e', Some('e' | 'i' | 'y')) | ('i', Some('e')) => Some('i'),
                    _ => None,
                };
                match one {
                    Some(v) => {
                        folded.push(v);
                        k += 2;
                    }
                    None => {
                        folded.push(if out[k] == 'y' { 'i' } else { out[k] });
                        k += 1;
                    }
                }
            }
            folded
        };
        let (a, b) = (letters(&self.text), letters(&other.text));
        !self.key.is_empty()
            && self.key == other.key
            && a.len() >= 5
            && b.len() >= 5
            && one_edit_apart(&a, &b)
    }

    /// A part that names a kind of thing rather than one thing ("Police", "Province").
    pub fn is_generic(&self) -> bool {
        is_institution(&self.text) || is_place_head(&self.text) || is_common(&self.text)
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Head words of place names ("Gangwon Province", "Miller Drive").
fn is_place_head(lo: &str) -> bool {
    matches!(
        lo,
        "province"
            | "peninsula"
            | "prefecture"
            | "county"
            | "district"
            | "region"
            | "street"
            | "st"
            | "avenue"
            | "ave"
            | "road"
            | "rd"
            | "drive"
            | "boulevard"
            | "lane"
            | "highway"
            | "river"
            | "lake"
            | "mountain"
            | "mount"
            | "island"
            | "islands"
            | "valley"
            | "park"
            | "square"
            | "airport"
            | "station"
            | "hospital"
            | "north"
            | "south"
            | "east"
            | "west"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
            | "central"
            | "southwest"
            | "southeast"
            | "northwest"
            | "northeast"
            | "police"
            | "fire"
            | "news"
            | "national"
            | "international"
            | "public"
            | "works"
            | "director"
            | "publishing"
            | "special"
            | "agent"
            | "agents"
            | "officers"
            | "investigators"
            | "detectives"
            | "troopers"
            | "authorities"
            | "staff"
    )
}

/// The parts of a name, in order: titles, connectors, suffixes and possessives dropped, a
/// demonym read as its place. A whole name that is a place ("the United States", "South
/// Korean") is one part.
pub fn parts(name: &str) -> Vec<NamePart> {
    if let Some(place) = place_of(name) {
        return vec![NamePart {
            text: place.to_owned(),
            key: entity_key(place),
            place: Some(place),
            nicknames: &[],
        }];
    }
    let words: Vec<String> = fold(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    // Titles go before a person's name; an organization keeps its words ("Office of the
    // Director", "Department of Justice").
    let organization = words.last().is_some_and(|w| is_institution(w));
    let mut out: Vec<NamePart> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        // A place of several words is one part: "United States Drug Enforcement Agency".
        if let Some((n, place)) = (2..=4.min(words.len() - i))
            .rev()
            .find_map(|n| Some((n, *PLACE_OF.get(words[i..i + n].join(" ").as_str())?)))
        {
            out.push(NamePart {
                text: place.to_owned(),
                key: entity_key(place),
                place: Some(place),
                nicknames: &[],
            });
            i += n;
            continue;
        }
        let w = &words[i];
        let last = i + 1 == words.len();
        let title = !organization && !last && (is_title(w) || is_person_title(w));
        if !is_filler(w) && !title {
            // "St. Lucia" is "Saint Lucia", "Mt. Kenya" "Mount Kenya"; a last "St" is a street.
            let w = match w.as_str() {
                "st" if !last => "saint",
                "ste" if !last => "sainte",
                "mt" if !last => "mount",
                "ft" if !last => "fort",
                "pt" if !last => "port",
                w => w,
            };
            out.push(NamePart::new(w.to_owned()));
        }
        i += 1;
    }
    if out.is_empty() {
        out.extend(words.into_iter().map(NamePart::new));
    }
    out
}

/// Titles and ranks of people, beyond those the entity scanner drops from the front of a run.
pub(super) fn is_person_title(lo: &str) -> bool {
    matches!(
        lo,
        "detective"
            | "det"
            | "officer"
            | "deputy"
            | "inspector"
            | "superintendent"
            | "supt"
            | "constable"
            | "trooper"
            | "sheriff"
            | "coach"
            | "chief"
            | "founder"
            | "ceo"
            | "chairman"
            | "chairwoman"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "director"
            | "attorney"
            | "premier"
            | "commissioner"
            | "marshal"
            | "warden"
            | "dean"
            | "pm"
            | "vp"
            | "acting"
            | "executive"
            | "councillor"
            | "councilor"
            | "councilman"
            | "councilwoman"
            | "assemblyman"
            | "assemblywoman"
            | "congressman"
            | "congresswoman"
            | "ambassador"
            | "bishop"
            | "rabbi"
            | "rev"
            | "reverend"
            | "dame"
            | "justice"
            | "major"
            | "maj"
            | "corporal"
            | "cpl"
            | "admiral"
            | "general"
            | "honour"
            | "honor"
    )
}

/// Where each part of `short` sits in `long`, in order, when all of them are found there.
fn embed(short: &[NamePart], long: &[NamePart]) -> Option<Vec<usize>> {
    let mut at = Vec::with_capacity(short.len());
    let mut from = 0;
    for p in short {
        let k = (from..long.len()).find(|&k| p.matches(&long[k]))?;
        at.push(k);
        from = k + 1;
    }
    Some(at)
}

/// True when two names may name the same person, place or organization: equal keys, an
/// acronym and its expansion, the same place, or one name's parts found in order among the
/// other's ("Smith" / "Dr. Jane Smith", "J. Smith" / "Jane Smith", "Turkish" / "Turkey's",
/// "the Governor's Office" / "the California Governor's Office").
///
/// Whole keys join the words, so they blur word boundaries ("Inderdai Deyal" and "Indra Deyal"
/// key alike): they count only where the words do not line up ("Bani Yas" / "Baniyas").
pub fn same_name(a: &str, b: &str) -> bool {
    Name::new(a).same(&Name::new(b))
}

/// A name with its parts and key worked out once, for comparing it with many others.
#[derive(Clone, Debug)]
pub struct Name {
    /// The name as written.
    pub text: String,
    /// Its [`parts`].
    pub parts: Vec<NamePart>,
    key: String,
    /// Whether the name is written as an acronym ("DOJ", "U.N.").
    acronym: bool,
}

/// What a name names, as far as its form tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameType {
    /// Two or more parts, none of them an institution word ("Chris Anderson").
    Person,
    /// A country, major place or their demonym; or a place head ("Gangwon Province").
    Place,
    /// An acronym or a name ending in an institution word ("Future Publishing Board").
    Organization,
    /// One word: a surname, a place, a brand.
    Unknown,
}

impl Name {
    /// Splits `text` into its parts.
    pub fn new(text: &str) -> Name {
        let mut letters = text.chars().filter(|c| c.is_alphabetic()).peekable();
        let acronym = letters.peek().is_some()
            && letters.all(char::is_uppercase)
            && text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && !text.contains(' ');
        Name {
            text: text.to_owned(),
            parts: parts(text),
            key: entity_key(text),
            acronym,
        }
    }

    /// [`same_name`], without splitting again.
    pub fn same(&self, other: &Name) -> bool {
        if (self.acronym && is_acronym_of(&self.text, &other.text))
            || (other.acronym && is_acronym_of(&other.text, &self.text))
        {
            return true;
        }
        let (a, b) = (&self.parts, &other.parts);
        if (a.len() != b.len() || a.len() == 1)
            && !self.key.is_empty()
            && self.key == other.key
            && (self.key.len() >= 3 || fold(&self.text) == fold(&other.text))
        {
            return true;
        }
        same_parts(a, b)
    }

    /// True when every part is a title or a generic word ("Office", "Acting Premier", "Det."):
    /// a role, not a name.
    pub fn is_role(&self) -> bool {
        self.parts
            .iter()
            .all(|p| p.is_generic() || is_title(&p.text) || is_person_title(&p.text))
    }

    /// What the name's form says it names.
    pub fn kind(&self) -> NameType {
        let last = self.parts.last().map_or("", |p| p.text.as_str());
        if is_institution(last) {
            return NameType::Organization;
        }
        let places = self.parts.iter().filter(|p| p.place.is_some()).count();
        let specific = self.parts.iter().filter(|p| !p.is_generic()).count();
        if (places > 0 && places >= specific) || is_place_head(last) {
            return NameType::Place;
        }
        if self.acronym {
            return NameType::Organization;
        }
        if self.parts.len() >= 2 {
            NameType::Person
        } else {
            NameType::Unknown
        }
    }
}

/// What a name part can be matched on by [`NamePart::matches`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum PartKey {
    Text(String),
    Place(&'static str),
    Nickname(usize),
    Key(String),
    /// Every part, by its first letter: what an initial matches.
    First(char),
    /// Initials only, by their letter: what a full part matches as an initial.
    Initial(char),
}

impl NamePart {
    /// The keys this part is found under in a [`NameIndex`] (`probe` false), or the keys under
    /// which every part that this one [`NamePart::matches`] is found (`probe` true). They
    /// differ for initials: every part is indexed by its first letter, an initial also as an
    /// initial; an initial probes the first letters, a full part the initials.
    fn keys(&self, probe: bool) -> Vec<PartKey> {
        let mut keys = vec![PartKey::Text(self.text.clone())];
        keys.extend(self.place.map(PartKey::Place));
        keys.extend(self.nicknames.iter().map(|&g| PartKey::Nickname(g)));
        if self.text.chars().nth(4).is_some() && !self.key.is_empty() {
            keys.push(PartKey::Key(self.key.clone()));
        }
        if let Some(c) = self.text.chars().next() {
            match (probe, self.is_initial()) {
                (false, initial) => {
                    keys.push(PartKey::First(c));
                    if initial {
                        keys.push(PartKey::Initial(c));
                    }
                }
                (true, true) => keys.push(PartKey::First(c)),
                (true, false) => keys.push(PartKey::Initial(c)),
            }
        }
        keys
    }
}

/// Names indexed by what their parts can match on, so that the names that may be
/// [`Name::same`] as another are found without comparing it with every one: a document with
/// a thousand names asks a thousand questions, not a million.
///
/// [`NameIndex::candidates`] returns a superset of the indexed names that are `same` as the
/// one asked about (every branch of `same` needs the last part of the shorter name, after any
/// leading places, to match some part of the longer one, or equal whole keys, or an acronym
/// whose letters are the other's initials, looked up by those initials); the caller still asks
/// `same` of each candidate.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    /// Names by the keys of any of their parts.
    by_part: HashMap<PartKey, Vec<u32>>,
    /// Names by the keys of their last part.
    by_last: HashMap<PartKey, Vec<u32>>,
    /// Names by their whole key.
    by_key: HashMap<String, Vec<u32>>,
    /// Acronyms by what they match an expansion on.
    acronyms: HashMap<String, Vec<u32>>,
    /// Names by what they match an acronym on, as expansions.
    expansions: HashMap<String, Vec<u32>>,
}

impl NameIndex {
    /// Indexes `names`, each with the id that [`NameIndex::candidates`] returns for it.
    pub fn new<'n>(names: impl IntoIterator<Item = (u32, &'n Name)>) -> NameIndex {
        let mut index = NameIndex::default();
        for (id, name) in names {
            if name.acronym {
                for key in acronym_keys(&name.text) {
                    index.acronyms.entry(key).or_default().push(id);
                }
            }
            for key in expansion_keys(&name.text) {
                index.expansions.entry(key).or_default().push(id);
            }
            if !name.key.is_empty() {
                index.by_key.entry(name.key.clone()).or_default().push(id);
            }
            for part in &name.parts {
                for key in part.keys(false) {
                    index.by_part.entry(key).or_default().push(id);
                }
            }
            if let Some(last) = name.parts.last() {
                for key in last.keys(false) {
                    index.by_last.entry(key).or_default().push(id);
                }
            }
        }
        index
    }

    /// The ids of the indexed names that may be [`Name::same`] as `name`, in increasing order,
    /// each once.
    pub fn candidates(&self, name: &Name) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::new();
        let mut add = |ids: Option<&Vec<u32>>| out.extend(ids.into_iter().flatten());
        // An acronym and its expansion, either way round.
        if name.acronym {
            for key in acronym_keys(&name.text) {
                add(self.expansions.get(&key));
            }
        }
        for key in expansion_keys(&name.text) {
            add(self.acronyms.get(&key));
        }
        if !name.key.is_empty() {
            add(self.by_key.get(&name.key));
        }
        // Its last part in any part of theirs, or any part of its in their last part.
        if let Some(last) = name.parts.last() {
            for key in last.keys(true) {
                add(self.by_part.get(&key));
            }
        }
        for part in &name.parts {
            for key in part.keys(true) {
                add(self.by_last.get(&key));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// True when one name is the capital of the other's country ("Beijing" / "China", "the
/// Kremlin" / "Russia"): news writes one for the other, so a swap between them is no change,
/// but a capital named elsewhere does not keep its country.
pub fn capital_for_country(a: &Name, b: &Name) -> bool {
    let place = |n: &Name| match &n.parts[..] {
        [p] => p.place,
        _ => None,
    };
    match (place(a), place(b)) {
        (Some(x), Some(y)) => capital_of(x) == Some(y) || capital_of(y) == Some(x),
        _ => false,
    }
}

/// True when `b` is `a` with exactly one letter added, dropped or replaced.
fn one_edit_apart(a: &[char], b: &[char]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let head = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if head == short.len() {
        return long.len() == short.len() + 1;
    }
    if short.len() == long.len() {
        short[head + 1..] == long[head + 1..]
    } else {
        short[head..] == long[head + 1..]
    }
}

/// The AP abbreviations of the US states that have one, with the state's name.
const STATE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("ala", "alabama"),
    ("ariz", "arizona"),
    ("ark", "arkansas"),
    ("calif", "california"),
    ("colo", "colorado"),
    ("conn", "connecticut"),
    ("del", "delaware"),
    ("fla", "florida"),
    ("ga", "georgia"),
    ("ill", "illinois"),
    ("ind", "indiana"),
    ("kan", "kansas"),
    ("ky", "kentucky"),
    ("la", "louisiana"),
    ("md", "maryland"),
    ("mass", "massachusetts"),
    ("mich", "michigan"),
    ("minn", "minnesota"),
    ("miss", "mississippi"),
    ("mo", "missouri"),
    ("mont", "montana"),
    ("neb", "nebraska"),
    ("nev", "nevada"),
    ("nh", "new hampshire"),
    ("nj", "new jersey"),
    ("nm", "new mexico"),
    ("ny", "new york"),
    ("nc", "north carolina"),
    ("nd", "north dakota"),
    ("okla", "oklahoma"),
    ("ore", "oregon"),
    ("pa", "pennsylvania"),
    ("ri", "rhode island"),
    ("sc", "south carolina"),
    ("sd", "south dakota"),
    ("tenn", "tennessee"),
    ("vt", "vermont"),
    ("va", "virginia"),
    ("wash", "washington"),
    ("wva", "west virginia"),
    ("wis", "wisconsin"),
    ("wyo", "wyoming"),
];

/// True when `a` and `b` are one name written two ways that news uses for each other: a US
/// state and its AP abbreviation ("Nev." / "Nevada"), or British and American spelling
/// ("Organisation" / "Organization", "Labour" / "Labor", "Centre" / "Center").
///
/// ```
/// use retrace_text::facts::names::same_name_spelled_otherwise;
/// assert!(same_name_spelled_otherwise("Nev.", "Nevada"));
/// assert!(same_name_spelled_otherwise("World Free Zones Organisation", "World Free Zones Organization"));
/// assert!(!same_name_spelled_otherwise("Nevada", "Utah"));
/// assert!(!same_name_spelled_otherwise("Organisation", "Organism"));
/// ```
pub fn same_name_spelled_otherwise(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a == b {
        return false;
    }
    let state = |x: &str, y: &str| {
        STATE_ABBREVIATIONS
            .iter()
            .any(|&(abbr, name)| x == abbr && y == name)
    };
    if state(&a, &b) || state(&b, &a) {
        return true;
    }
    let american = |name: &str| -> String {
        name.split(' ')
            .map(|w| {
                for (british, american) in [
                    ("isation", "ization"),
                    ("isations", "izations"),
                    ("our", "or"),
                    ("tre", "ter"),
                    ("tres", "ters"),
                ] {
                    if let Some(stem) = w.strip_suffix(british)
                        && stem.len() >= 3
                    {
                        return format!("{stem}{american}");
                    }
                }
                w.to_owned()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    american(&a) == american(&b)
}

/// [`same_name`] on names already split into [`parts`].
pub fn same_parts(a: &[NamePart], b: &[NamePart]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // Initials alone ("J.") say too little to stand for a name.
    if short.iter().all(NamePart::is_initial) {
        return false;
    }
    let at = match embed(short, long) {
        Some(at) => at,
        // "the Justice Department" / "the Department of Justice".
        None if short.len() == long.len()
            && short.iter().any(|p| is_institution(&p.text))
            && short.iter().all(|p| long.iter().any(|q| p.matches(q)))
            && long.iter().all(|q| short.iter().any(|p| p.matches(q))) =>
        {
            return true;
        }
        // "Indian PM Modi" / "Narendra Modi": a place before a name describes it, unless the
        // other name has a place of its own ("Turkish Airlines" / "Qatar Airlines").
        None => {
            let lead = |p: &[NamePart]| {
                p.iter()
                    .take(p.len() - 1)
                    .take_while(|q| q.place.is_some())
                    .count()
            };
            let no_place = |p: &[NamePart]| p.iter().all(|q| q.place.is_none());
            let (la, lb) = (lead(a), lead(b));
            return (la > 0 && no_place(b) && same_parts(&a[la..], b))
                || (lb > 0 && no_place(a) && same_parts(a, &b[lb..]));
        }
    };
    // A shortened name keeps the head: "Smith" for "Jane Smith", "the Governor's Office" for
    // "the California Governor's Office", "Gangwon" for "Gangwon Province" (a generic head);
    // "Jane" alone stands for "Jane Smith" only when that is a person's name. "United States"
    // is not "U.S. Attorney Jonathan Levy".
    let last = at.last().copied().unwrap_or(0);
    if long[last + 1..].iter().all(NamePart::is_generic) {
        return true;
    }
    short.len() == 1
        && at == [0]
        && long.len() <= 3
        && long.iter().all(|p| !p.is_generic() && p.place.is_none())
}

/// How two names differ when they share a distinctive part and each has a part the other
/// lacks: "first name" ("Chris Anderson" / "Craig Anderson"), "surname" ("Steve Lederer" /
/// "Steve Lederman") or "name" (another part). None when they are [`same_parts`] or share
/// nothing but generic words ("Police", "Province").
pub fn partial_change(a: &[NamePart], b: &[NamePart]) -> Option<&'static str> {
    if a.is_empty() || b.is_empty() || same_parts(a, b) {
        return None;
    }
    let mut shared = Vec::new();
    let mut from = 0;
    for (i, p) in a.iter().enumerate() {
        if let Some(k) = (from..b.len()).find(|&k| p.matches(&b[k])) {
            shared.push((i, k));
            from = k + 1;
        }
    }
    if !shared
        .iter()
        .any(|&(i, _)| !a[i].is_generic() && !a[i].is_initial())
    {
        return None;
    }
    if shared.len() == a.len() || shared.len() == b.len() {
        return None;
    }
    // Roles from the end: the last part is the surname, the one before it the first name.
    let kept = |from_end: usize| {
        a.len() > from_end
            && b.len() > from_end
            && shared.contains(&(a.len() - 1 - from_end, b.len() - 1 - from_end))
    };
    Some(match (kept(1), kept(0)) {
        (false, true) => "first name",
        (true, false) => "surname",
        _ => "name",
    })
}

/// True when `short` spells the initials of the capitalized words of `long`
/// ("ATSB" / "Air Transportation Stabilization Board").
/// Small words may be spelled in the acronym or not ("DOJ", "DJ"); an acronym may follow
/// another word order of the name ("DOJ" / "Justice Department").
pub fn is_acronym_of(short: &str, long: &str) -> bool {
    let keys = acronym_keys(short);
    !keys.is_empty() && expansion_keys(long).iter().any(|k| keys.contains(k))
}

/// Letters other than these may be left out of an acronym or put in another order ("of",
/// "for", "and", "the").
fn loose(c: char) -> bool {
    !matches!(c, 'O' | 'F' | 'A' | 'T')
}

fn sorted(chars: impl Iterator<Item = char>) -> String {
    let mut v: Vec<char> = chars.collect();
    v.sort_unstable();
    v.into_iter().collect()
}

/// What an acronym matches an expansion on ([`is_acronym_of`] is a shared key): its letters,
/// and its letters other than O, F, A and T in sorted order when two or more are left. Empty
/// for text that is not an acronym (a space, a lowercase letter, fewer than two letters).
fn acronym_keys(short: &str) -> Vec<String> {
    let letters: String = short.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || !letters.chars().all(char::is_uppercase) || short.contains(' ') {
        return Vec::new();
    }
    let mut keys = vec![format!("E:{letters}")];
    let content: Vec<char> = letters.chars().filter(|&c| loose(c)).collect();
    if content.len() >= 2 {
        keys.push(format!("S:{}", sorted(content.into_iter())));
    }
    keys
}

/// What an expansion matches an acronym on: the initials of its capitalized words, of all its
/// words, and the capitalized initials other than O, F, A and T in sorted order. Empty for
/// one word.
fn expansion_keys(long: &str) -> Vec<String> {
    let words: Vec<&str> = long
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() < 2 {
        return Vec::new();
    }
    let initials = |small: bool| -> String {
        words
            .iter()
            .filter(|w| small || w.starts_with(|c: char| c.is_uppercase()))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect()
    };
    let capitals = initials(false);
    vec![
        format!("E:{capitals}"),
        format!("E:{}", initials(true)),
        format!("S:{}", sorted(capitals.chars().filter(|&c| loose(c)))),
    ]
}

/// True for a word that starts sentences without naming anything ("However", "Several").
pub fn is_common_word(lo: &str) -> bool {
    is_common(lo) || lo.ends_with("ly") || lo.ends_with("ing")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_finds_every_same_name() {
        let texts = [
            "Dr. Jane Smith",
            "Smith",
            "J. Smith",
            "Jane Smith",
            "Jane",
            "Bill Clinton",
            "William Clinton",
            "Clinton",
            "Turkish",
            "Turkey",
            "Turkish Airlines",
            "Qatar Airlines",
            "the Governor's Office",
            "the California Governor's Office",
            "Gangwon",
            "Gangwon Province",
            "Department of Justice",
            "Justice Department",
            "DOJ",
            "U.N.",
            "United Nations",
            "Indian PM Modi",
            "Narendra Modi",
            "Modi",
            "Bani Yas",
            "Baniyas",
            "Chris Anderson",
            "Craig Anderson",
            "Rankin",
            "Rankine",
            "Beijing",
            "China",
            "Steve Lederer",
            "Steve Lederman",
            "Nigel Ambersley",
            "Nigel Amersley",
            "Ambersley",
            "The Syrian Observatory",
            "Syria",
            "Syrian",
            "Mark Quinlan",
            "Mark Quinn",
            "M. Quinlan",
            "Timothy Morrison",
            "Tim Morrison",
            "Hayat Tahrir al-Sham",
            "HTS",
            "Sharaa",
            "Ahmed al-Sharaa",
            "Al-Qusour",
            "NRSC",
            "National Road Safety Council",
            "U.S.",
            "United States",
            "CBP",
            "Customs and Border Protection",
            "DEA",
            "Drug Enforcement Administration",
            "GSS",
            "General Security Service",
            "NATO",
            "North Atlantic Treaty Organization",
            "FBI",
            "Federal Bureau of Investigation",
        ];
        let names: Vec<Name> = texts.iter().map(|t| Name::new(t)).collect();
        let index = NameIndex::new(names.iter().enumerate().map(|(i, n)| (i as u32, n)));
        let mut pairs = 0;
        for a in &names {
            let candidates = index.candidates(a);
            assert!(candidates.windows(2).all(|w| w[0] < w[1]));
            for (j, b) in names.iter().enumerate() {
                if a.same(b) {
                    pairs += 1;
                    assert!(
                        candidates.contains(&(j as u32)),
                        "{:?} is the same as {:?} but not a candidate",
                        a.text,
                        b.text
                    );
                }
            }
        }
        // The check covers real matches, not just each name with itself, acronyms among them.
        assert!(pairs > 2 * names.len(), "{pairs}");
        assert!(Name::new("DEA").same(&Name::new("Drug Enforcement Administration")));
        assert!(Name::new("North Atlantic Treaty Organization").same(&Name::new("NATO")));
    }

    #[test]
    fn people_by_parts() {
        for (a, b) in [
            ("Dr. Jane Smith", "Smith"),
            ("Dr. Jane Smith", "J. Smith"),
            ("Dr. Jane Smith", "Jane Smith"),
            ("Jane Smith", "Smith's"),
            ("Det. Alvaro Zabaleta", "Alvaro Zabaleta"),
            ("Judge Neil Ford QC", "Neil Ford"),
            ("Muhammad Ali", "Mohammed Ali"),
            ("Bill Clinton", "William Clinton"),
            ("Chris Anderson", "Christopher Anderson"),
            ("Mike Pence", "Michael Pence"),
            ("Al-Shilfatiya", "Shilfatiyeh"),
            ("Harfoush", "Harfush"),
        ] {
            assert!(same_name(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("Timothy Morrison", "Thomas Morrison"),
            ("Tim Morrison", "Thomas Morrison"),
            ("Bill Clinton", "Hillary Clinton"),
            ("Mark Quinlan", "Mark Quinn"),
            ("Zabaleta", "Zabala"),
            ("Chris Anderson", "Craig Anderson"),
            ("Inderdai Deyal", "Indra Deyal"),
            ("Cheorwon", "Chuncheon"),
            ("John Rankin", "John Rankine"),
            ("J.", "Jane Smith"),
        ] {
            assert!(!same_name(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn places_and_organizations_by_form() {
        assert!(same_name("Turkish", "Turkey"));
        assert!(same_name("Turkish-based", "Turkey's"));
        assert!(same_name("U.S.", "United States"));
        assert!(same_name("the UK", "Britain"));
        assert!(same_name("Korean Peninsula", "Korea"));
        assert!(same_name(
            "California Governor's Office",
            "Governor's Office"
        ));
        assert!(same_name("Governor", "California Governor"));
        assert!(same_name("ATSB", "Air Transportation Stabilization Board"));
        assert!(same_name("DOJ", "Justice Department"));
        assert!(same_name("DOJ", "Department of Justice"));
        assert!(same_name("Department of Justice", "Justice Department"));
        assert!(same_name("Gangwon", "Gangwon Province"));
        assert!(same_name(
            "United States Drug Enforcement Agency",
            "U.S. Drug Enforcement Agency"
        ));
        assert!(!same_name("United States", "U.S. Attorney Jonathan Levy"));
        assert!(!same_name("DOJ", "Federal Bureau of Investigation"));
        assert!(!same_name("Turkish", "Greece"));
        assert!(!same_name(
            "University of Texas",
            "University of California"
        ));
        assert!(Name::new("Acting Premier").is_role());
        assert!(Name::new("Office").is_role());
        assert!(Name::new("Special Agents").is_role());
        assert!(!Name::new("Levy").is_role());
        assert!(same_name("St. Lucia", "Saint Lucia"));
        assert!(same_name("Mt. Kenya", "Mount Kenya"));
        assert!(same_name("Södermalm", "Sodermalm"));
        assert!(same_name("U.N.", "United Nations"));
        assert!(same_name("Indian PM Modi", "Narendra Modi"));
        assert!(same_name("Narendra Modi", "India's Modi"));
        assert!(!same_name("Turkish Airlines", "Qatar Airlines"));
        let capital = |a: &str, b: &str| capital_for_country(&Name::new(a), &Name::new(b));
        assert!(capital("Beijing", "China"));
        assert!(capital("the Kremlin", "Russia's"));
        assert!(capital("Turkish", "Ankara"));
        assert!(!capital("Beijing", "Japan"));
        assert!(
            !same_name("Turkish", "Ankara"),
            "a capital elsewhere keeps no country"
        );
        assert!(same_name("Future Publishing Ltd", "Future Publishing"));
        assert_eq!(Name::new("George Washington").kind(), NameType::Person);
        assert_eq!(Name::new("Turkey").kind(), NameType::Place);
        assert_eq!(place_of("Turkey's"), Some("turkey"));
        assert_eq!(place_of("South Korean"), Some("south korea"));
    }

    #[test]
    fn partial_changes_say_which_part() {
        let p = |a: &str, b: &str| partial_change(&parts(a), &parts(b));
        assert_eq!(p("Timothy Morrison", "Thomas Morrison"), Some("first name"));
        assert_eq!(p("Mark Quinlan", "Mark Quinn"), Some("surname"));
        assert_eq!(p("Russell Latapy's", "Russell Latham's"), Some("surname"));
        assert_eq!(
            p(
                "Miami-Dade Police Detective Alvaro Zabaleta",
                "Alvaro Zabala"
            ),
            Some("surname")
        );
        assert_eq!(p("Jane Smith", "J. Smith"), None, "the same person");
        assert_eq!(
            p("Gangwon Province", "Gyeonggi Province"),
            None,
            "generic only"
        );
        assert_eq!(p("Zabaleta", "Zabala"), None, "nothing shared");
    }
}
