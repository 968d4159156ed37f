"""Names and addresses in customer messages, found by where people write them.

Names stand after greetings ("Hej Anna"), in signatures ("Mvh / Anna Lindqvist"), after "my
name is" in each language, and in quoted mail headers ("skrev Anna Lindqvist <...>"). Street
addresses are a street word (…gatan, …vej, …straat, ul. …) with a house number, and a
postcode in one of the markets' shapes followed by a town.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import simplemma

from ..analysis.languages import read_words

UPPER = "A-ZÅÄÖÆØÉÜŁŚŻŹĆŃÓĄĘİÇŞĞ"
LOWER = "a-zåäöæøéüłśżźćńóąęíáñıçşğ"
# One word of a name: capitalised, may be hyphenated (Anna-Karin, Nowak-Kowalska, O'Brien).
NAME_WORD = rf"[{UPPER}][{LOWER}]+(?:[-'][{UPPER}][{LOWER}]+)?"
PARTICLE = r"(?:van|von|af|de|der|den|ter|te|da|di|del|la|le|el|in 't|op den|op de|'t)"
# "S. Yilmaz", "W.J.M. van der Heijden", "Drs. Pieter-Jan van der Wal", "mevr. F. Yıldız".
TITLE = r"(?:(?i:drs|dr|mr|ir|ing|prof|mgr|inż|dhr|mevr|mw|hr|fr)\.?[ \t]+)"
INITIALED = rf"(?:[{UPPER}]\.[ \t]?){{1,4}}[ \t]*(?:{PARTICLE}[ \t]+)*{NAME_WORD}"
NAME = (
    rf"{TITLE}?(?:{INITIALED}|{NAME_WORD}[ \t]+[{UPPER}]\.(?![{UPPER}{LOWER}])"
    rf"|{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)*{NAME_WORD}){{0,3}}|{NAME_WORD}\.?)"
)
FULL_NAME = (  # two words or three, or initials and a surname
    rf"{TITLE}?(?:{INITIALED}|{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)*{NAME_WORD}){{1,2}})"
)

# Words that look like names in those places but are the shop, its team or a brand.
NOT_NAMES = {
    "norrgarn",
    "heijn",
    "denmark",
    "danmark",
    "sverige",
    "sweden",
    "polska",
    "poland",
    "nederland",
    "netherlands",
    "norge",
    "kvittonr",
    "kvitto",
    "kundservice",
    "kundeservice",
    "klantenservice",
    "obsługa",
    "obsluga",
    "customer",
    "service",
    "support",
    "team",
    "teamet",
    "zespół",
    "postnord",
    "klarna",
    "swish",
    "mobilepay",
    "dankort",
    "blik",
    "ideal",
    "paypal",
    "instabox",
    "budbee",
    "dhl",
    "gls",
    "bring",
    "inpost",
    "dpd",
    "postnl",
    "orlen",
    "payPo",
    "apple",
    "google",
    "iphone",
    "android",
    "samsung",
    "outlook",
    "gmail",
    "ok",
    "okej",
    "tack",
    "tak",
    "dzięki",
    "bedankt",
    "thanks",
    "hej",
    "hejsan",
    "hi",
    "hello",
    "hallo",
    "hoi",
    "dag",
    "pani",
    "pan",
    "mvh",
    "mvg",
    "gr",
    "groet",
    "groeten",
    "pozdrawiam",
    "wam",
    "ni",
    "er",
    "jullie",
    "państwo",
    "alle",
    "allihop",
    "alla",
    "igen",
    "again",
    "på",
    "forhånd",
    "förhand",
    "voorbaat",
    "ring",
    "ringe",
    "sms",
    "skriv",
    "skicka",
    "send",
    "zadzwoń",
    "bel",
    "mail",
    "mejl",
    "tel",
    "tlf",
    "telefon",
    "mobil",
    "kontakt",
    "nummer",
    "numer",
    "adress",
    "adresse",
    "adres",
    "order",
    "ordre",
    "zamówienie",
    "bestelling",
    "pesel",
    "cpr",
    "bsn",
    "personnummer",
    # ways of saying "write / call / mail me at": they stand before contact data too
    "mejla",
    "maila",
    "kontakta",
    "maile",
    "napisz",
    "pisz",
    "dzwoń",
    "zadzwon",
    "mailen",
    "bellen",
    "stuur",
    "app",
    "whatsapp",
    "telefoon",
    "email",
    "e-mail",
    "call",
    "text",
    "write",
    "mobilnummer",
    "konto",
    "rachunek",
}
# Titles and forms of address that may open a match: "mevr. J.M. de Boer", "de heer Dijkstra".
TITLE_WORDS = {
    "drs",
    "dr",
    "mr",
    "ir",
    "ing",
    "prof",
    "mgr",
    "inż",
    "dhr",
    "mevr",
    "mw",
    "hr",
    "fr",
    "heer",
    "mevrouw",
    "meneer",
    "familie",
    "fam",
    "herr",
    "fru",
}
CONTACT_LABEL = (
    r"(?i:tel\.?|tlf\.?|telefon|mobil|mob\.?|mail|e-?mail|mejl|sms|pesel|cpr|bsn|"
    r"personnummer|personnr|nr tel\.?|numer)[ \t:.]*"
)

GREETING = (
    r"tak for hjælpen|tack för hjälpen|dank je wel|dankjewel|dank je|dziękuję bardzo|"
    r"thank you|thanks|hej|hejsan|hejhej|hallå|hallo|hoi|hi|hello|hey|dear|kære|kaere|"
    r"beste|geachte|"
    r"goedemorgen|goedemiddag|goedenavond|goedendag|goeiedag|de heer|dag|cześć|czesc|"
    r"witam|witajcie|witaj|hejsa|davs|"
    r"dzień dobry|dzien dobry|dobry wieczór|dobry wieczor|szanowna pani|szanowny panie|"
    r"szanowni państwo|god morgen|godmorgon|god dag|goddag|tjena|tjenare|halløj"
)
CLOSING = (
    r"mvh|m\.v\.h\.?|med vänlig(?:a)? hälsning(?:ar)?|vänlig(?:a)? hälsning(?:ar)?|"
    r"hälsningar|hälsning|hälsn|kram|med venlig hilsen|venlig hilsen|venlige hilsner|"
    r"de bedste hilsner|bedste hilsner|mange hilsner|hilsen|vh|kh|"
    r"pozdrawiam serdecznie|serdecznie pozdrawiam|pozdrawiam|pozdrowienia|z poważaniem|"
    r"z powazaniem|łączę pozdrowienia|dziękuję|dziekuje|z góry dziękuję|"
    r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|hartelijke groet(?:en)?|"
    r"mvg|groetjes|groeten|groet|gr\.?|"
    r"best regards|kind regards|regards|best wishes|cheers|thanks|thank you|"
    r"tack på förhand|tack så mycket|tack|tak på forhånd|på forhånd tak|mange tak|tak|"
    r"alvast bedankt|bij voorbaat dank|bedankt|högaktningsfullt|med venlig hilsen|"
    r"med vennlig hilsen|z wyrazami szacunku|hoogachtend|sincerely|yours"
)
# "Mvh / Med vänlig hälsning": closings in two languages, one after the other.
CLOSINGS = rf"(?:{CLOSING})(?:[ \t]*[/|][ \t]*(?:{CLOSING}))*"
INTRODUCTION = (
    r"jag heter|mitt namn är|mitt namn er|jeg hedder|jeg hed|mit navn er|"
    r"nazywam się|nazywam sie|mam na imię|mam na imie|z tej strony|tu|"
    r"mijn naam is|ik heet|my name is|i am|this is|"
    r"min (?:man|fru|sambo|mamma|pappa|dotter|son)|"
    r"min (?:mand|kone|kæreste|mor|far|datter|søn)|"
    r"mijn (?:man|vrouw|vriend|vriendin|moeder|vader|dochter|zoon)|"
    r"mój mąż|moja żona|moja córka|mój syn|"
    r"beställd(?:e)? (?:av|i namnet)|bestilt (?:af|i navnet)|besteld door|zamówione przez|"
    r"på namnet|på navnet|op naam van|na nazwisko|adresseret til|adresserad till|"
    r"pani|pan|panią|pana|panu|panie|panem|mevrouw|meneer|heer|dhr\.?|mw\.?|mevr\.?|herr|fru|"
    r"jag är|det är|heter|kontohavare|kontaktperson|mottagare|står på|i namnet|"
    r"jeg er|det er|hedder|kontoindehaver|kontaktperson|modtager|"
    r"jestem|to ja|odbiorca|właściciel konta|osoba kontaktowa|"
    r"ik ben|dit is|contactpersoon|rekeninghouder|t\.n\.v\.|ontvanger|"
    r"account holder|recipient|contact person|kontohaver|właściciel rachunku|"
    r"właścicielka rachunku|imię i nazwisko|att\.?|navn|namn|naam|name|odbierze|należy do|"
    r"w imieniu|na rzecz|t\.a\.v\.?|ter attentie van|kontoinhaber|op naam van|"
    r"vraag naar|fråga efter|spørg efter|poproś|granne|grannen|kollega|kollegan|syster|bror|"
    r"nabo|naboen|søster|buurvrouw|buurman|collega|zus|broer|sąsiadka|sąsiad|koleżanka|"
    r"kolega|siostra|brat|"
    # relatives and others a customer orders for or sends to, in the four languages
    r"svigerinde|svigermor|svigerfar|svoger|svigerdatter|svigersøn|kæreste|kone|hustru|"
    r"svägerska|svärmor|svärfar|svåger|svärdotter|svärson|flickvän|pojkvän|sambo|"
    r"fætter|kusine|kusin|moster|faster|morbror|farbror|mormor|farmor|morfar|farfar|"
    r"onkel|tante|oma|opa|schoonmoeder|schoonvader|zwager|schoonzus|neef|nicht|vriendin|"
    r"męża|żony|córki|syna|mamy|taty|siostry|brata|teściowej|"
    r"teściowa|teść|szwagier|szwagierka|ciocia|wujek|babcia|dziadek|narzeczona|narzeczony|"
    r"partner|partnerka|mother-in-law|sister-in-law|brother-in-law|girlfriend|boyfriend"
)
HEADER = r"skrev|skriver|wrote|schreef|napisał\(a\)|napisała|napisał|från|fra|from|van|od"

# Only the phrases are case-insensitive: a name must be capitalised.
_GREETED = re.compile(rf"(?m)(?:^|[\s,.!])(?i:{GREETING})[ \t,]+(?P<name>{NAME})")
AFTER_CLOSING = r"[ \t]*[,.!:/-]*[ \t]*"
_SIGNED_SAME = re.compile(
    rf"(?m)(?:^[ \t>]*|[.!?,][ \t]+)(?i:{CLOSINGS})(?!\w){AFTER_CLOSING}"
    rf"(?P<name>{NAME})(?=[ \t]*(?:[,.!;–-]|$))"
)
_SIGNED_NEXT = re.compile(
    rf"(?m)^[ \t>]*(?i:{CLOSINGS})(?!\w){AFTER_CLOSING}\n(?:[ \t>]*\n)?"
    rf"[ \t>]*(?P<name>{NAME})[ \t]*$"
)
_SLASHED = re.compile(rf"(?m)(?:^|[ \t])/{{1,2}}[ \t]?(?P<name>{NAME})[ \t]*$")
# "Lina Karlsson, [PHONE]" and "[PHONE], Hugo Lindqvist": a full name next to contact data.
_BY_CONTACT = re.compile(
    rf"(?P<name>{NAME_WORD}(?:[ \t]+(?:{PARTICLE}[ \t]+)*{NAME_WORD}){{0,2}})"
    rf"(?=[ \t]*[,(:/–-]?[ \t\n]*(?:{CONTACT_LABEL})?\[(?:PHONE|EMAIL|ADDRESS|ID|IBAN)\])"
)
# A first name or full name closing the message: "... gdyby co. Ania", "... – Helle Bak",
# "– Magda S.".
_END_NAME = re.compile(
    rf"(?:[.!?]|[ \t][-–—])[ \t]+(?P<name>{NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|[{UPPER}]\.))?)"
    rf"[ \t]*[.!]?[ \t]*\Z"
)
# A full name alone on a line, before a blank line or at the end: a signature.
_NAME_LINE = re.compile(rf"(?m)^[ \t>]*(?P<name>{FULL_NAME})[ \t]*(?=\n[ \t]*\n|\n?\Z)")
# A name alone on its line, between blank lines or last: a signature without a closing.
_ALONE = re.compile(
    rf"(?m)(?:\A|\n[ \t]*\n)[ \t>]*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD})?)[ \t]*"
    rf"(?=\n[ \t]*\n|\n?\Z|\n[ \t]*\[)"
)
LOWER_WORD = rf"[{LOWER}]{{2,}}"
# "mvh christian krogh", "pozdrawiam, ewa sadowska": a signature typed in lower case.
_SIGNED_LOWER = re.compile(
    rf"(?m)(?:^[ \t]*|[.!?][ \t]+)(?i:{CLOSINGS})(?!\w)[ \t]*[,.]?[ \t]*"
    rf"(?P<name>{LOWER_WORD}(?:[ \t]+{LOWER_WORD})?)(?=[ \t]*(?:[,(]|\n|\Z))"
)
# A first name alone on a line, then a blank line and a quoted mail header.
_NAME_BEFORE_QUOTE = re.compile(
    rf"(?m)^[ \t]*(?P<name>{NAME_WORD})[ \t]*\n[ \t]*\n[ \t]*"
    rf"(?:Van|From|Från|Fra|Od|Op|On|Den|W dniu|Am)\b"
)
_AFTER_CONTACT = re.compile(
    rf"\[(?:PHONE|EMAIL|ADDRESS|ID)\][ \t]*[,)][ \t]*"
    rf"(?P<name>{FULL_NAME})(?=[ \t]*(?:[,.]|$))",
    re.M,
)
# "det är Magnus här", "Martin här", "Mette her", "Sanne hier".
_HERE = re.compile(rf"(?P<name>{NAME})[ \t]+(?i:här|her|hier|z tej strony)\b")
# A signature block without a closing: a line of a full name above a line of contact data.
_ABOVE_CONTACT = re.compile(
    rf"(?m)^[ \t]*(?P<name>{FULL_NAME})[ \t]*\n"
    rf"[ \t]*(?:\[(?:PHONE|EMAIL|ADDRESS)\]|(?i:tel|tlf|telefon|mobil|e-?mail|mejl))"
)
FORM_LABEL = (
    r"förnamn|efternamn|fornavn|efternavn|mellemnavn|imię|imie|nazwisko|voornaam|achternaam|"
    r"voornamen|tussenvoegsel|first name|last name|surname|kund|klant|klient|kunde"
)
# A form's field: the whole value is the name, Dutch surnames may start with a particle.
_FORM_FIELD = re.compile(
    rf"(?im)^[ \t]*(?:{FORM_LABEL})[ \t]*:[ \t]*"
    rf"(?P<name>(?-i:(?:{PARTICLE}[ \t]+)*{NAME_WORD}"
    rf"(?:[ \t]+(?:{PARTICLE}[ \t]+)*{NAME_WORD}){{0,3}}))"
    rf"[ \t]*$"
)
# "de heer Van Dijk", "familie De Jong", "mevrouw Van der Berg": a capitalised particle
# starts the surname when no first name stands before it.
_ADDRESSED = re.compile(
    rf"(?i:\b(?:de heer|heer|mevrouw|meneer|dhr\.?|mevr\.?|mw\.?|familie|fam\.?))[ \t]+"
    rf"(?P<name>(?:(?:Van|De|Ter|Te|Den|Van der|Van den|Van de|In 't|Op den|Op de)[ \t]+)"
    rf"(?:(?:{PARTICLE})[ \t]+)*{NAME_WORD})"
)
# "ik ben lisa", "groetjes anouk", "det är sara nilsson": a known first name typed in lower
# case after an introduction or a closing (checked against the list of first names).
_LOWER_AFTER_CUE = re.compile(
    r"(?i:\b(?:jag heter|jeg hedder|ik ben|ik heet|mijn naam is|nazywam się|jestem|tu|"
    r"det är|det er|mit navn er|mitt namn är|groetjes|groeten|groet|mvh|hilsen|hälsningar|"
    r"kram|pozdrawiam|pozdrowienia|van)[ \t,]+(?:(?:van|från|fra|od|from)[ \t]+)?)"
    rf"(?P<name>[{LOWER}]{{2,}}"
    rf"(?:[ \t]+(?:(?:van|de|der|den|ter|te|in 't|'t)[ \t]+)*[{LOWER}]{{2,}})?)"
)
# Initials before a surname, anywhere: "P.J. van Dijk", "R. Ramdin".
_INITIALS = re.compile(
    rf"(?<![\w.])(?P<name>(?:[{UPPER}]\.[ \t]?){{1,4}}[ \t]*(?:{PARTICLE}[ \t]+)*{NAME_WORD})"
)
# A street that starts with its street word: "Laan van Meerdervoort 1020", "Plein 1992 4".
_STREET_FIRST = re.compile(
    rf"\b(?:Laan|Plein|Kade|Dreef|Singel|Burgemeester|Rue|Avenue|Aleja)[ \t]+"
    rf"(?:(?:van|de|der|den|ter|la|du|des)[ \t]+)*[{UPPER}][\w'-]+[ \t]+\d{{1,4}}[a-zA-Z]?\b"
)
_INTRODUCED = re.compile(rf"(?i:\b(?:{INTRODUCTION}))[ \t:,]+(?P<name>{NAME})")
_HEADED = re.compile(
    rf"(?i:\b(?:{HEADER}))[ \t:]+(?P<name>{NAME})[ \t]*(?=<|\(|\[EMAIL\]|&lt;|,? ?\[EMAIL\])"
)
_BEFORE_EMAIL = re.compile(rf"(?P<name>{NAME})[ \t]*(?=<\s*\[EMAIL\]|\(\s*\[EMAIL\])")
_LAST_LINE = re.compile(
    rf"(?s)\n[ \t]*\n[ \t>]*(?P<name>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,2}})[ \t]*$"
)

STREET_SUFFIX = (
    r"gatan|gata|vägen|väg|gränd|torget|stigen|backen|allén|leden|esplanaden|kajen|"
    r"stranden|ringen|liden|gade|vej|allé|stræde|straede|plads|vænget|vænge|torv|"
    r"boulevard|straat|weg|laan|plein|gracht|kade|singel|dijk|steeg|dreef|markt|hof|"
    r"gate|gaten|veien|vei|vegen|veg|plass|torg|stien|"
    r"straße|strasse"
)
NOT_STREETS = {"onderweg", "halfweg", "zijweg", "snelweg", "underway", "hof", "markt", "weg"}
_STREET = re.compile(
    rf"\b(?P<street>(?:(?:[{UPPER}][\w'.-]*|(?i:van|de|der|den|ter|sankt|st\.|s:t|gamle|nya|"
    rf"stora|lilla|norra|södra|östra|västra))[ \t]+){{0,3}}[\w'-]*?(?i:{STREET_SUFFIX}))"
    rf"[ \t]+\d{{1,4}}(?:[a-zA-Z]|[ \t](?:[A-Z]|[a-hj-z]|i(?=[ \t]*(?:[,.;)\n]|$))))?(?![\w])"
    rf"(?:[-/]\d{{1,4}}[a-zA-Z]?|-?[IVX]{{1,3}}\b)?"
    rf"(?i:(?:,?[ \t]*(?:lgh\.?|lägenhet|lgh nr\.?)[ \t]*\d{{1,5}})?"
    rf"(?:,?[ \t]*(?:\d{{1,2}}\.?[ \t]*(?:tv|th|mf|sal)\b\.?|st\.?[ \t]*(?:tv|th|mf)?\b\.?))?"
    rf"(?:[ \t]+(?:hs|bis|huis|boven|bv)\b)?)"
)
_POLISH_STREET = re.compile(
    rf"(?i)\b(?:ul\.|ulica|al\.|aleja|pl\.|plac|os\.|osiedle)[ \t]*"
    rf"(?:[{UPPER}0-9][\w.'-]*[ \t]+){{0,4}}?\d{{1,4}}[a-zA-Z]?"
    rf"(?:[ \t]*/[ \t]*\d{{1,4}}[a-zA-Z]?)?(?:[ \t]*(?:m\.|lok\.|m|/)[ \t]*\d{{1,4}})?"
)
TOWN = rf"[{UPPER}][{LOWER}]+"
_POSTCODE = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?:SE-?)?\d{{3}}[ \t]?\d{{2}}[ \t]+[{UPPER}][{LOWER}]+(?:[ \t][{UPPER}][{LOWER}]+)?"  # SE
    rf"|(?:DK-?)?[1-9]\d{{3}}[ \t]+{TOWN}(?:[ \t](?:[NSVØKC]\b|{TOWN}))?"  # DK
    rf"|(?:NO-?)?0\d{{3}}[ \t]+{TOWN}"  # NO (Oslo's codes start with 0; the rest as DK)
    rf"|\d{{2}}-\d{{3}}[ \t]+{TOWN}(?:[ \t-]{TOWN})?"  # PL
    rf"|[1-9]\d{{3}}[a-z]{{2}}[ \t]+[{LOWER}]{{3,}}"  # NL typed in lower case: 6702ak wageningen
    rf"|[1-9]\d{{3}}[ \t]?[A-Z]{{2}}(?![\w])(?:[ \t]+(?:'s-)?{TOWN}(?:[ \t-]{TOWN})?)?"  # NL
    rf")"
)


def _is_name(found: str) -> bool:
    words = [w.strip(".").casefold() for w in found.split()]
    if not words or words[0] in NOT_NAMES or all(w in NOT_NAMES for w in words):
        return False
    # A surname after its particles: "van der Linden".
    surname = found.split()[-1]
    return (
        found[:1].isupper()
        or (surname[:1].isupper() and surname.casefold() not in _common_words())
        or not any(w in _common_words() for w in words)
    )


@cache
def _common_words() -> frozenset[str]:
    """The five languages' stop words: never part of a name typed in lower case, and the
    prepositions before a place ("w Danii", "till Malmö") that is not a person."""
    return frozenset().union(
        *(read_words(f"stopwords-{locale}.txt") for locale in ("sv", "da", "pl", "nl", "en"))
    )


@cache
def _first_names() -> frozenset[str]:
    lines = (Path(__file__).parent / "data" / "first-names.txt").read_text(encoding="utf-8")
    return frozenset(
        word for line in lines.splitlines() if not line.startswith("#") for word in line.split()
    )


_CAPITALISED = re.compile(
    rf"(?<![\w-])(?P<name>{NAME_WORD})(?P<rest>(?:[ \t]+(?:{PARTICLE}[ \t]+)*{NAME_WORD}){{0,2}})"
)
_WORD = re.compile(rf"(?<![\w'-]){NAME_WORD}")
# Product words before a product's name, which may be a first name: "tröjan Sigrid",
# "vest Astrid", "szalik Hanna", "skjorten Ida".
PRODUCT_NOUNS = (
    r"tröja|tröjan|kofta|koftan|mössa|mössan|jacka|jackan|dunjacka|dunjackan|sjal|sjalen|"
    r"halsduk|halsduken|väska|väskan|skor|skorna|vest|västen|filt|filten|pläd|pläden|"
    r"sweater|sweateren|trøje|trøjen|skjorte|skjorten|tæppe|tæppet|jakke|jakken|hue|huen|"
    r"taske|tasken|sko|skoen|tørklæde|tørklædet|kjole|kjolen|plaid|plaidet|"
    r"sweter|swetra|szalik|szalika|czapka|czapkę|czapki|kurtka|kurtkę|kurtki|koc|koca|"
    r"buty|torba|torbę|sukienka|sukienkę|płaszcz|kapcie|"
    r"trui|vest|sjaal|jas|jurk|tas|muts|deken|dekbed|laarzen|schoenen|model|modell|"
    r"modellen|modelu|kleur|färg|farve|kolor|collectie|kollektion|kolekcja|serie|serien"
)
NAMING = r"heter|hedder|heet|nazywa się|is called"
_PRODUCT_BEFORE = re.compile(rf"(?i)(?:{PRODUCT_NOUNS}|{NAMING})[ \t]+$")
# "Tröjan heter Alva Merino Crew", "modellen Sigrid": a product's name, whatever it is.
_PRODUCT_NAMED = re.compile(rf"(?i)(?:{PRODUCT_NOUNS})[ \t]+(?:(?:{NAMING})[ \t]+)?$")
# A garment word (often a compound) or a size right after: "Saga dunjakke", "Linnea
# Linneskjorta", "Ylva merinostrik", "Kaja 39".
_PRODUCT_AFTER = re.compile(
    r"(?i)^[ \t]+(?:\w*(?:jakke|jacka|jakka|strik|skjort|tröj|trøj|trui|sweter|sweat|merino|"
    r"kofta|cardigan|klänning|kjole|jurk|sukienk|halsduk|sjal|pläd|plaid|filt|tæppe|deken|"
    r"mössa|muts|czapk|väska|taske|torb|skor|buty|schoen|laarz|känga|kängor|støvle|kurtk|"
    r"płaszcz|crew|hoodie|shirt)\w*|strl|str|stl|maat|rozm|rozmiar|size|[0-9XSML]{1,3})\b"
)
# Polish names change their ending with case: "Jana Nowickiego", "Marty Jabłońskiej",
# "z Tomaszem", "Marcinowi". The base forms are tried in turn.
_POLISH_ENDINGS = (
    ("owi", ""),
    ("em", ""),
    ("iem", ""),
    ("a", ""),
    ("u", ""),
    ("ie", ""),
    ("y", "a"),
    ("i", "a"),
    ("ę", "a"),
    ("ą", "a"),
    ("o", "a"),
    ("ie", "a"),
    ("i", "ia"),
    ("ę", "ia"),
    ("ą", "ia"),
    ("a", "ek"),
    ("owi", "ek"),
    ("iem", "ek"),
    ("ła", "eł"),
    ("łem", "eł"),
    ("łowi", "eł"),
)
_POLISH_SURNAME = re.compile(
    rf"[{UPPER}][{LOWER}]+(?:sk|ck|dzk)(?:i|a|iego|iemu|im|iej|ą|ich)(?:-[{UPPER}][{LOWER}]+)?$"
    rf"|[{UPPER}][{LOWER}]+(?:wicz|czyk|czak|ak|ek|uk|ik|ski|cki)(?:a|owi|iem|em)?$"
)


def _first_name_base(word: str) -> str | None:
    names = _first_names()
    if word in names or word.split("-")[0] in names:  # "Eva-Lena"
        return word
    for ending, base in _POLISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            candidate = word[: len(word) - len(ending)] + base
            if candidate in names:
                return candidate
    return None


def _known_first_names(text: str) -> list[tuple[int, int]]:
    """A common first name, capitalised, where it cannot be the first word of a sentence, or
    followed by a capitalised surname: "min dotter Elsa Viklund", "hälsningar från Pia";
    not where it names a product ("tröjan Sigrid", "Linnea hørskjorte")."""
    spans = []
    for word in _WORD.finditer(text):
        if _first_name_base(word.group()) is None:
            continue
        match = _CAPITALISED.match(text, word.start())
        if match is None:
            continue
        before = text[: match.start()].rstrip(" \t")
        if before[-1:].isdigit():  # "12 Jan"
            continue
        if _PRODUCT_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        rest = match.group("rest")
        if _PRODUCT_AFTER.match(text[match.end("name") : match.end("name") + 12]) and not (
            rest and _POLISH_SURNAME.match(rest.split()[-1])
        ):
            continue
        sentence_start = not before or before[-1] in ".!?:\n\"'(–-"
        words = rest.split()
        if any(w.casefold() in NOT_NAMES for w in words):  # "Albert Heijn"
            continue
        if words and not any(w.casefold() in _common_words() for w in words):
            spans.append(match.span())
        elif not sentence_start:
            spans.append(match.span("name"))
    return spans


def name_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for pattern in (
        _GREETED,
        _SIGNED_SAME,
        _SIGNED_NEXT,
        _SLASHED,
        _INTRODUCED,
        _FORM_FIELD,
        _ADDRESSED,
        _HEADED,
        _BEFORE_EMAIL,
        _LAST_LINE,
        _BY_CONTACT,
        _AFTER_CONTACT,
        _HERE,
        _ABOVE_CONTACT,
        _END_NAME,
        _ALONE,
        _SIGNED_LOWER,
        _NAME_LINE,
        _NAME_BEFORE_QUOTE,
    ):
        for match in pattern.finditer(text):
            name = match.group("name")
            start = match.start("name")
            if _PRODUCT_NAMED.search(text[max(0, start - 30) : start]):
                continue
            before = text[max(0, start - 12) : start].split()
            lone = pattern is _BY_CONTACT and " " not in name and before
            if lone and before[-1].casefold() in _common_words():  # "w Danii, tel. ..."
                continue
            # A match may take in a greeting or closing at its start ("Mvh Ingrid Svensson")
            # or a brand at its end: those words are not the name.
            words = name.split()
            while words and words[0].strip(".").casefold() in NOT_NAMES | TITLE_WORDS:
                dropped = words.pop(0)
                offset = name.find(dropped) + len(dropped)
                start, name = start + offset, name[offset:]
                start += len(name) - len(name.lstrip())
                name = name.lstrip()
            while words and words[-1].strip(".").casefold() in NOT_NAMES:
                words.pop()
            kept = " ".join(words)
            # A text of one word ("Presentkort", a ticket's subject) is no signature: it is
            # a name only when it is a known first name.
            alone = not text[:start].strip() and not text[start + len(name) :].strip(" \t\n.!,")
            if alone and len(words) == 1 and _first_name_base(words[0].strip(".")) is None:
                continue
            if kept and _is_name(kept):
                spans.append((start, start + name.find(words[-1]) + len(words[-1])))
    for match in _LOWER_AFTER_CUE.finditer(text):
        words = match.group("name").split()
        if words[0].capitalize() not in _first_names() or words[0] in _common_words():
            continue
        end = match.end("name")
        if len(words) > 1 and words[-1] in _common_words():
            end = match.start("name") + len(words[0])
        spans.append((match.start("name"), end))
    for match in _INITIALS.finditer(text):
        surname = match.group("name").split()[-1].split(".")[-1]
        if surname.casefold() not in _common_words() | NOT_NAMES and len(surname) > 2:
            spans.append(match.span("name"))
    spans += _particled(text) + _known_first_names(text)
    companies = [m.span() for m in _COMPANY.finditer(text)]
    return [s for s in spans if not any(s[0] < end and start < s[1] for start, end in companies)]


# "Ruud in 't Veld", "Sanne van der Berg": a capitalised word, a surname's particles and a
# capitalised surname. A name when the first word is a known first name, or is not the
# first word of a sentence and not a Dutch word ("Huis ter Heide" is a place).
_PARTICLED = re.compile(
    rf"(?<![\w'-])(?P<first>{NAME_WORD})[ \t]+(?:van|de|den|der|ter|ten|in 't|op de|op den|'t)"
    rf"(?:[ \t]+(?:de|den|der|'t))?[ \t]+{NAME_WORD}"
)


def _particled(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _PARTICLED.finditer(text):
        first = match.group("first")
        folded = first.casefold()
        if folded in NOT_NAMES or folded in _common_words():
            continue
        if _PRODUCT_NAMED.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        before = text[: match.start()].rstrip(" \t")
        sentence_start = not before or before[-1] in ".!?:\n\"'(–-"
        if _first_name_base(first) is not None or not (
            sentence_start or simplemma.is_known(folded, lang="nl")
        ):
            spans.append(match.span())
    return spans


# "Lindqvist Bygg AB", "Jensen & Søn ApS", "Bakker Installatietechniek B.V.": a company,
# not a person, even where its name holds a surname.
_COMPANY = re.compile(
    rf"(?<![\w-]){NAME_WORD}(?:[ \t]+(?:{NAME_WORD}|&|og|och|en|i|und))*[ \t]+"
    r"(?:AB|HB|KB|ApS|A/S|AS|I/S|IVS|B\.V\.?|BV|N\.V\.?|NV|VOF|V\.O\.F\.|"
    r"[Ss]p\. z o\.o\.|S\.A\.|S\.C\.|GmbH|Ltd\.?|Oy)(?![\w/])"
)
# "Pieter en [NAME]", "[NAME] och Elsa": a first name beside a name found already.
_BESIDE_NAME = re.compile(
    rf"(?P<before>{NAME_WORD})(?=[ \t]+(?:en|och|og|i|oraz|and|&)[ \t]+\[NAME\])"
    rf"|(?<=\[NAME\])[ \t]+(?:en|och|og|i|oraz|and|&)[ \t]+(?P<after>{NAME_WORD})"
)


def _beside_names(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _BESIDE_NAME.finditer(text):
        group = "before" if match.group("before") else "after"
        if _first_name_base(match.group(group)) is not None:
            spans.append(match.span(group))
    return spans


# "Box 123", "Postbus 45": a post office box is an address too.
POSTCODE_SHAPE = r"(?:\d{2}-\d{3}|\d{3}[ \t]?\d{2}|\d{4}(?:[ \t]?[A-Z]{2})?)"
_BOX = re.compile(r"\b(?:Box|Postboks|Postbus|Skrytka pocztowa|Skr\. poczt\.)[ \t]+\d{1,6}\b")
# A street without a street word ("Słowackiego 14") on the line above a postcode and town.
_STREET_LINE = re.compile(
    rf"(?m)^[ \t]*(?:{TITLE})?[{UPPER}][{LOWER}]+(?:[ \t][{UPPER}][{LOWER}]+){{0,3}}[ \t]+"
    rf"\d{{1,4}}[a-zA-Z]?(?:[ \t]?/[ \t]?\d{{1,4}})?[ \t]*"
    rf"(?=\n[ \t]*{POSTCODE_SHAPE}[ \t]+[{UPPER}])"
)


def _addresses(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _STREET_FIRST.finditer(text)]
    spans += [m.span() for m in _BOX.finditer(text)] + [
        m.span() for m in _STREET_LINE.finditer(text)
    ]
    for match in _STREET.finditer(text):
        words = match.group("street").split()
        word = words[-1].casefold()
        # "på vägen 2 dagar": a bare street word needs a name before it to be a street.
        if word in NOT_STREETS or (len(words) == 1 and re.fullmatch(STREET_SUFFIX, word)):
            continue
        spans.append(match.span())
    spans += [m.span() for m in _POLISH_STREET.finditer(text)]
    spans += [m.span() for m in _POSTCODE.finditer(text)]
    return spans


def replace_spans(text: str, spans: list[tuple[int, int]], placeholder: str) -> str:
    """``text`` with every span (merged where they overlap) replaced by ``placeholder``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + placeholder + text[end:]
    return text


def redact_addresses(text: str) -> str:
    return replace_spans(text, _addresses(text), "[ADDRESS]")


def redact_names(text: str) -> str:
    text = replace_spans(text, name_spans(text), "[NAME]")
    return replace_spans(text, _beside_names(text), "[NAME]")
