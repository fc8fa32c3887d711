//! The phrase table of rewrites: common news phrasing and a replacement a rewriting editor
//! might choose.
//!
//! Input: nothing (built-in tables). Output: [`Table`], which finds the longest entry starting
//! at a word and gives its replacements. One line per entry, `phrase|replacement;replacement`,
//! lower case, matched case-insensitively at word boundaries. English has a few hundred entries
//! (attribution verbs, connectives, quantities, frequent verbs, nouns and adjectives of news
//! copy); German, French and Spanish have a few dozen, so rewrites in those languages change
//! less. Limits: replacements do not agree in number or tense beyond what the entry itself
//! spells out, so a rewrite is sometimes slightly ungrammatical, as hurried copy is.

use std::collections::HashMap;

/// English entries.
const ENGLISH: &str = "\
according to|as reported by;citing
said|stated;told reporters;noted
says|states;notes
said on|stated on;announced on
told reporters|said to journalists
told|informed
added|went on to say;continued
announced|unveiled;made public
announced on|revealed on
confirmed|verified;acknowledged
denied|rejected;disputed
claimed|asserted;contended
warned|cautioned
explained|clarified
described|characterised
insisted|maintained
argued|contended
estimated|calculated
reported|disclosed
more than|over;in excess of
less than|under;fewer than
at least|no fewer than
about|around;roughly
approximately|roughly;about
nearly|almost;close to
almost|nearly
around|about
some|several
many|numerous;a lot of
a lot of|many;plenty of
a number of|several
several|a number of;multiple
most|the majority of
all of|every one of
each|every
however|but;even so
but|yet;though
although|even though;while
because|since;as
because of|due to;owing to
due to|because of
despite|in spite of
in spite of|despite
also|additionally;as well
as well as|along with;and
in addition|additionally;also
in addition to|besides;on top of
therefore|so;as a result
thus|so
while|whereas
whether|if
after|following
following|after
before|ahead of;prior to
prior to|before
during|in the course of;throughout
until|up to
since|ever since
among|amongst
between|among
within|inside
without|lacking
against|opposed to
toward|towards
towards|toward
near|close to
next to|beside
outside|beyond
under|beneath
over|more than
across|throughout
behind|at the back of
so far|to date;until now
at the moment|currently;right now
currently|at present;now
now|at present
recently|lately;in recent weeks
lately|recently
immediately|at once;right away
quickly|rapidly;swiftly
slowly|gradually
suddenly|abruptly
eventually|ultimately;in the end
finally|at last;in the end
already|by now
still|yet
often|frequently
usually|typically;generally
sometimes|at times;occasionally
never|not once
again|once more
earlier|previously
later|subsequently;afterwards
soon|shortly;before long
today|on this day
this week|in recent days
last week|the previous week
last year|the previous year
next year|the coming year
this year|the current year
in the past|previously
in the future|going forward
in recent years|over the past few years
for example|for instance
for instance|for example
such as|including;like
including|such as;among them
in particular|particularly;especially
especially|particularly
mainly|mostly;chiefly
mostly|largely;mainly
largely|mostly
only|just;merely
just|only
even|indeed
very|extremely;highly
really|truly
quite|fairly;rather
too|overly
enough|sufficient
big|large;major
large|big;sizeable
huge|enormous;massive
small|little;minor
little|small
major|significant;key
significant|considerable;notable
important|key;crucial
key|crucial;central
main|principal;chief
new|fresh;latest
old|former
former|ex-
latest|most recent;newest
recent|latest
current|present
previous|earlier;prior
first|initial
last|final
final|last
early|initial
late|final
high|elevated
low|reduced
higher|greater
lower|smaller
good|positive
bad|poor
serious|grave
difficult|hard;challenging
hard|difficult
easy|simple
possible|feasible
likely|probable
unlikely|improbable
clear|evident
unclear|uncertain;not clear
different|distinct;varied
similar|comparable
strong|robust
weak|feeble
public|popular
local|regional
national|nationwide
international|global
global|worldwide
foreign|overseas
political|policy
economic|financial
social|societal
official|formal
senior|top;high-ranking
several people|a number of people
people|individuals;residents
person|individual
man|resident
woman|resident
children|kids;youngsters
residents|locals;inhabitants
officials|authorities;administrators
authorities|officials
government|administration;authorities
country|nation
countries|nations
city|town
state|province
area|region;district
region|area
company|firm;business
companies|firms;businesses
firm|company
business|company
group|organisation;body
organization|group;body
members|participants
leader|head;chief
leaders|heads
president|head of state
minister|cabinet member
spokesman|spokesperson;representative
spokeswoman|spokesperson;representative
spokesperson|representative
police|officers;law enforcement
police officers|officers
experts|specialists;analysts
analysts|observers;experts
researchers|scientists;investigators
scientists|researchers
study|research;report
report|study;account
data|figures;statistics
figures|data;numbers
information|details;data
statement|release;communiqué
interview|conversation
meeting|session;gathering
event|occasion
plan|proposal;scheme
plans|proposals
proposal|plan
decision|ruling;move
problem|issue;difficulty
problems|issues;difficulties
issue|matter;question
issues|matters;questions
question|matter
crisis|emergency
attack|assault;strike
attacks|assaults;strikes
conflict|fighting;hostilities
war|conflict
violence|unrest
deal|agreement;accord
agreement|deal;accord
law|legislation
rules|regulations
money|funds;cash
cost|price
costs|expenses
prices|costs
market|marketplace
industry|sector
jobs|positions;roles
workers|employees;staff
employees|staff;workers
staff|personnel;employees
customers|clients;consumers
users|customers
students|pupils;learners
school|academy
hospital|medical centre
health|wellbeing
home|house;residence
house|home
building|structure
road|street
world|globe
life|existence
way|manner;method
ways|methods;means
part|portion;share
result|outcome;consequence
results|outcomes;findings
effect|impact;consequence
impact|effect;influence
change|shift
changes|shifts;alterations
increase|rise;growth
decrease|drop;decline
rise|increase;jump
growth|expansion;increase
support|backing
help|assistance;aid
need|requirement
effort|attempt;bid
efforts|attempts;moves
chance|opportunity
risk|danger;threat
threat|danger;risk
safety|security
power|control;authority
system|structure;framework
process|procedure
service|provision
services|provisions;offerings
project|scheme;initiative
program|programme;scheme
programme|scheme;program
campaign|drive;push
policy|strategy;approach
view|opinion
idea|notion;concept
reason|cause;motive
story|account
news|reports
begin|start;commence
began|started;commenced
begins|starts
start|begin;launch
started|began;launched
starts|begins
end|finish;conclude
ended|finished;concluded
continue|carry on;go on
continued|carried on;went on
make|create;produce
made|created;produced
makes|creates
take|bring
took|brought
give|provide;offer
gave|provided;offered
gives|provides
get|obtain;receive
got|obtained;received
show|demonstrate;reveal
showed|demonstrated;revealed
shows|demonstrates;reveals
find|discover
found|discovered;identified
use|employ;utilise
used|employed;utilised
uses|employs
help|assist;aid
helped|assisted;aided
want|wish;seek
wanted|wished;sought
wants|wishes;seeks
need|require
needed|required
needs|requires
try|attempt;seek
tried|attempted;sought
seek|look for;pursue
sought|looked for;pursued
keep|retain;maintain
kept|retained;maintained
leave|depart
left|departed;quit
come|arrive
came|arrived
go|head
went|headed
put|placed
call|name
called|named;urged
ask|request
asked|requested;questioned
allow|permit;let
allowed|permitted
expect|anticipate
expected|anticipated;projected
hope|aim
hoped|aimed
plan to|intend to;aim to
planned|intended;scheduled
believe|think
believed|thought
think|believe
thought|believed
know|understand
knew|understood
known|recognised
consider|weigh
considered|weighed;regarded
include|encompass;cover
includes|covers;contains
included|covered;contained
involve|concern
involved|implicated;concerned
receive|get
received|got;was given
provide|supply;offer
provided|supplied;offered
build|construct
built|constructed
buy|purchase
bought|purchased
sell|market
sold|marketed
pay|fund
paid|funded
spend|invest
spent|invested
open|launch
opened|launched
close|shut
closed|shut
raise|increase;lift
raised|increased;lifted
cut|reduce;slash
reduce|cut;lower
reduced|cut;lowered
increase|raise;boost
increased|rose;grew
fell|dropped;declined
rose|climbed;increased
grew|expanded;rose
lost|forfeited
lose|forfeit
win|secure
won|secured;clinched
face|confront
faced|confronted
hold|host
held|hosted;staged
meet|see
met|saw
happen|occur
happened|occurred;took place
occurred|happened;took place
die|perish
died|was killed;perished
killed|left dead
injured|hurt;wounded
arrested|detained;taken into custody
charged|indicted
accused|charged
released|freed;let go
launched|started;began
created|set up;established
set up|established;created
carry out|conduct;perform
carried out|conducted;performed
point out|note
pointed out|noted;observed
find out|discover
found out|discovered
take part|participate
took part|participated
look at|examine;consider
looked at|examined;considered
deal with|handle;address
dealt with|handled;addressed
respond|reply;react
responded|replied;reacted
suggest|indicate
suggested|indicated;proposed
indicate|suggest
indicated|suggested
reveal|disclose
revealed|disclosed;showed
remain|stay
remained|stayed
become|turn into
became|turned into;grew into
seem|appear
seemed|appeared
appear|seem
appeared|seemed
affect|impact
affected|hit;impacted
improve|boost;enhance
improved|boosted;enhanced
prevent|stop;avert
protect|safeguard;shield
require|need
required|needed
is expected to|is likely to;should
are expected to|are likely to;should
is set to|is due to;will
is likely to|will probably
in order to|to;so as to
as a result|consequently;so
as a result of|because of;following
at the same time|meanwhile;simultaneously
on the other hand|by contrast;conversely
in fact|actually;indeed
of course|naturally
at the end of|at the close of
the end of|the close of
the beginning of|the start of
the start of|the beginning of
a series of|a string of
a range of|a variety of
a variety of|a range of
the number of|the count of;the total of
the rest of|the remainder of
in the wake of|after;following
in response to|responding to;in reply to
with regard to|regarding;concerning
regarding|concerning;about
in terms of|regarding
in an effort to|in a bid to;trying to
on behalf of|for;representing
as part of|within;under
in front of|before
close to|near
far from|nowhere near
it is|it's
it was|it had been
there is|there's
there are|there exist
do not|don't
does not|doesn't
did not|didn't
is not|isn't
are not|aren't
was not|wasn't
were not|weren't
will not|won't
would not|wouldn't
could not|couldn't
cannot|can't
have not|haven't
has not|hasn't
should not|shouldn't
will|would
can|could
may|might
might|may
must|has to
should|ought to
";

/// German entries.
const GERMAN: &str = "\
sagte|erklärte;betonte;meinte
sagt|erklärt;meint
sagten|erklärten;betonten
laut|nach Angaben von
mehr als|über
weniger als|unter
etwa|rund;ungefähr
rund|etwa
ungefähr|etwa
aber|doch;jedoch
jedoch|aber;allerdings
allerdings|jedoch
auch|ebenfalls
ebenfalls|auch
sehr|äußerst;überaus
bereits|schon
schon|bereits
zudem|außerdem;darüber hinaus
außerdem|zudem
darüber hinaus|zudem
wichtig|bedeutend;wesentlich
wichtige|bedeutende;wesentliche
wichtigen|bedeutenden
neue|aktuelle
neuen|aktuellen
neuer|aktueller
großen|erheblichen
große|erhebliche
groß|erheblich
klein|gering
kleine|geringe
viele|zahlreiche
vielen|zahlreichen
einige|manche
manche|einige
alle|sämtliche
immer|stets
oft|häufig
häufig|oft
manchmal|gelegentlich
jetzt|nun
nun|jetzt
heute|gegenwärtig
derzeit|momentan;aktuell
aktuell|derzeit
zunächst|vorerst;erst einmal
später|danach
danach|anschließend
dann|daraufhin
dabei|hierbei
dafür|hierfür
daher|deshalb;darum
deshalb|daher;deswegen
deswegen|deshalb
denn|schließlich
weil|da
obwohl|obgleich
während|wohingegen
wenn|falls
falls|wenn
sowie|und
bisher|bislang
bislang|bisher
wieder|erneut
erneut|wieder
vor allem|insbesondere
insbesondere|vor allem
zum Beispiel|etwa;beispielsweise
beispielsweise|zum Beispiel
eigentlich|im Grunde
wirklich|tatsächlich
tatsächlich|wirklich
gerade|eben
genau|exakt
ganz|völlig
völlig|ganz
ziemlich|recht
etwas|ein wenig
mehr|stärker
schnell|rasch
rasch|schnell
gut|positiv
schlecht|negativ
schwierig|schwer
einfach|leicht
möglich|denkbar
wahrscheinlich|vermutlich
vermutlich|wahrscheinlich
gibt es|existiert
gab es|existierte
Menschen|Personen;Leute
Leute|Menschen
Regierung|Führung
Unternehmen|Firma;Betrieb
Firma|Unternehmen
Beispiel|Fall
Problem|Schwierigkeit
Probleme|Schwierigkeiten
Frage|Problematik
Thema|Gegenstand
Ziel|Vorhaben
Möglichkeit|Option;Chance
Möglichkeiten|Optionen
Entwicklung|Fortschritt
Ergebnis|Resultat
Ergebnisse|Resultate
Studie|Untersuchung
Daten|Angaben
Informationen|Angaben;Details
Experten|Fachleute
Kunden|Abnehmer
Mitarbeiter|Beschäftigte
zeigt|belegt;verdeutlicht
zeigen|belegen;verdeutlichen
zeigte|belegte
gehen|laufen
geht|läuft
kommt|gelangt
kommen|gelangen
macht|erledigt
machen|erledigen
bekommen|erhalten
erhalten|bekommen
erhält|bekommt
nutzen|verwenden
nutzt|verwendet
verwenden|nutzen
verwendet|genutzt
brauchen|benötigen
braucht|benötigt
benötigt|braucht
sollen|müssen
soll|muss
können|vermögen
kann|vermag
müssen|sollen
beginnt|startet
begann|startete
finden|entdecken
findet|entdeckt
erklärt|erläutert
erklärte|erläuterte
";
/// French entries.
const FRENCH: &str = "\
a déclaré|a affirmé;a indiqué
selon|d'après
plus de|au-delà de
moins de|en dessous de
environ|près de
mais|cependant;pourtant
aussi|également
également|aussi
très|extrêmement
déjà|dès à présent
important|majeur
nouveau|récent
nouvelle|récente
personnes|individus
gouvernement|exécutif
entreprise|société
";

/// Spanish entries.
const SPANISH: &str = "\
dijo|afirmó;declaró
según|de acuerdo con
más de|por encima de
menos de|por debajo de
alrededor de|cerca de
pero|sin embargo;aunque
también|además
además|también
muy|sumamente
ya|desde ya
importante|relevante
nuevo|reciente
nueva|reciente
personas|individuos
gobierno|ejecutivo
empresa|compañía
";

/// One entry: the phrase as lower-case words, and what may replace it.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The phrase, lower case, one word per element.
    pub(crate) words: Vec<String>,
    /// The replacements, as written.
    pub(crate) replacements: Vec<&'static str>,
    /// Whether the phrase is written capitalized (a German noun): it then matches a
    /// capitalized word anywhere, not only where a sentence opens.
    pub(crate) capitalized: bool,
}

/// A phrase table for one language, indexed by the phrase's first word.
#[derive(Debug, Default)]
pub(crate) struct Table {
    /// First word → entries starting with it, longest first.
    by_first: HashMap<String, Vec<Entry>>,
}

impl Table {
    /// The table of an ISO 639-3 language code (`"eng"`, `"deu"`, `"fra"`, `"spa"`); empty for
    /// any other language.
    pub(crate) fn for_language(language: Option<&str>) -> Table {
        let lines = match language {
            Some("eng") => ENGLISH,
            Some("deu") => GERMAN,
            Some("fra") => FRENCH,
            Some("spa") => SPANISH,
            _ => "",
        };
        Table::parse(lines)
    }

    /// Builds a table from `phrase|replacement;replacement` lines.
    fn parse(lines: &'static str) -> Table {
        let mut by_first: HashMap<String, Vec<Entry>> = HashMap::new();
        for line in lines.lines() {
            let Some((phrase, replacements)) = line.split_once('|') else {
                continue;
            };
            let words: Vec<String> = phrase.split(' ').map(str::to_lowercase).collect();
            let Some(first) = words.first().cloned() else {
                continue;
            };
            let replacements = replacements.split(';').filter(|r| !r.is_empty()).collect();
            let capitalized = phrase.starts_with(char::is_uppercase);
            by_first.entry(first).or_default().push(Entry {
                words,
                replacements,
                capitalized,
            });
        }
        for entries in by_first.values_mut() {
            // Longest first, so "more than" wins over "more"; ties keep the table's order.
            entries.sort_by_key(|e| std::cmp::Reverse(e.words.len()));
        }
        Table { by_first }
    }

    /// Number of entries.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.by_first.values().map(Vec::len).sum()
    }

    /// The longest entry whose words match `words` from its start (lower case compared).
    pub(crate) fn longest_match(&self, words: &[String]) -> Option<&Entry> {
        let first = words.first()?;
        self.by_first.get(first.as_str())?.iter().find(|entry| {
            entry.words.len() <= words.len() && entry.words.iter().zip(words).all(|(a, b)| a == b)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_has_a_few_hundred_entries_and_prefers_the_longest() {
        let table = Table::for_language(Some("eng"));
        assert!(table.len() >= 300, "{} entries", table.len());
        let words: Vec<String> = ["more", "than", "forty"].map(String::from).to_vec();
        let entry = table.longest_match(&words).map(|e| e.words.len());
        assert_eq!(entry, Some(2));
        assert!(Table::for_language(Some("deu")).len() > 10);
        assert_eq!(Table::for_language(Some("xyz")).len(), 0);
    }
}
