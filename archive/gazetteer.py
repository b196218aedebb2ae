"""A small bilingual gazetteer: Syrian and regional places, people, organisations and
story topics, each in English and Arabic, for linking one story across languages.

archive.stories matches an English article with an Arabic one through what a
translation keeps: numbers, dates, and names. Names change script, and their
English spellings vary (Deir ez-Zor, Deir Ezzor, Deir al-Zour), so each entry
lists the spellings in use and maps them to one key. Topics ("water", "مياه")
tell apart two stories of one place and day. The lists are data, checked by
tests/test_stories.py; add a place or a spelling by adding it here.

No library: the geonames dumps (the maintained source of transliterations) are
hundreds of megabytes and cannot be fetched here, and the names an archive of
Syrian news needs are a few hundred, best kept readable and reviewed.

Each entry is ``(key, kind, English spellings, Arabic spellings)``. Kinds:
``place`` (``common`` for the names nearly every article carries, which say
little), ``person``, ``org`` and ``topic``. Arabic spellings are written as
printed; matching folds them (archive.arabic.fold) and allows the clitics
(و، ف، ب، ل، ك، ال) in front. English topics match by Snowball stem, Arabic
topics by light stem, so plurals and clitics need no spelling of their own.
"""

from __future__ import annotations

__all__ = ["ADJECTIVES", "ENTRIES", "NAMED", "WEIGHTS"]

# How much one shared name says that two articles tell one story: a person or an
# organisation rarely appears by chance, a common place (Syria, Damascus) nearly always.
WEIGHTS = {"common": 0.4, "place": 1.5, "person": 3.0, "org": 2.0, "topic": 1.0}

ENTRIES: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    # --- common places ---------------------------------------------------------------
    ("syria", "common", ("syria", "syrian"), ("سوريا", "سورية", "السوري", "السورية")),
    ("damascus", "common", ("damascus",), ("دمشق",)),
    # --- governorates, cities and towns -------------------------------------------------
    ("aleppo", "place", ("aleppo", "halab"), ("حلب",)),
    ("homs", "place", ("homs",), ("حمص",)),
    ("hama", "place", ("hama", "hamah"), ("حماة",)),
    ("latakia", "place", ("latakia", "lattakia", "ladhiqiyah"), ("اللاذقية",)),
    ("tartus", "place", ("tartus", "tartous"), ("طرطوس",)),
    ("idlib", "place", ("idlib", "idleb"), ("إدلب",)),
    ("raqqa", "place", ("raqqa", "raqqah", "rakka"), ("الرقة",)),
    (
        "deir-ez-zor",
        "place",
        (
            "deir ez zor",
            "deir ezzor",
            "deir al zor",
            "deir al zour",
            "deir el zor",
            "deir ez zour",
            "deirezzor",
            "dayr al zawr",
            "dayr az zawr",
        ),
        ("دير الزور",),
    ),
    ("hasakah", "place", ("hasakah", "hasaka", "hassakeh", "al hasakah"), ("الحسكة",)),
    ("qamishli", "place", ("qamishli", "qamishlo", "qameshli"), ("القامشلي",)),
    ("daraa", "place", ("daraa", "deraa", "dara a"), ("درعا",)),
    ("suwayda", "place", ("suwayda", "sweida", "suwaida", "as suwayda"), ("السويداء",)),
    ("quneitra", "place", ("quneitra", "qunaitra"), ("القنيطرة",)),
    ("palmyra", "place", ("palmyra", "tadmur"), ("تدمر",)),
    ("manbij", "place", ("manbij",), ("منبج",)),
    (
        "kobani",
        "place",
        ("kobani", "kobane", "ayn al arab", "ain al arab"),
        ("عين العرب", "كوباني"),
    ),
    ("afrin", "place", ("afrin",), ("عفرين",)),
    ("jableh", "place", ("jableh", "jabla"), ("جبلة",)),
    ("mayadin", "place", ("mayadin", "mayadeen"), ("الميادين",)),
    ("albukamal", "place", ("albukamal", "abu kamal", "bukamal", "al bukamal"), ("البوكمال",)),
    ("douma", "place", ("douma",), ("دوما",)),
    ("darayya", "place", ("darayya", "daraya"), ("داريا",)),
    ("ghouta", "place", ("ghouta",), ("الغوطة",)),
    (
        "rural-damascus",
        "place",
        ("rural damascus", "rif dimashq", "damascus countryside"),
        ("ريف دمشق",),
    ),
    ("jisr-al-shughur", "place", ("jisr al shughur", "jisr al shughour"), ("جسر الشغور",)),
    ("azaz", "place", ("azaz", "aazaz", "a zaz"), ("اعزاز",)),
    ("jarablus", "place", ("jarablus", "jarabulus"), ("جرابلس",)),
    ("tal-abyad", "place", ("tal abyad", "tell abyad"), ("تل أبيض",)),
    ("ras-al-ain", "place", ("ras al ain", "ras al ayn", "serekaniye"), ("رأس العين",)),
    ("salamiyah", "place", ("salamiyah", "salamiyeh", "salamieh"), ("السلمية",)),
    ("maarat-al-numan", "place", ("maarat al numan", "maarrat al nu man"), ("معرة النعمان",)),
    ("sheikh-najjar", "place", ("sheikh najjar",), ("الشيخ نجار",)),
    ("khalidiya", "place", ("khalidiya", "khaldiyeh", "khalidiyah"), ("الخالدية",)),
    ("hamidiya", "place", ("hamidiya", "hamidiyah"), ("الحميدية",)),
    ("alouk", "place", ("alouk", "allouk"), ("علوك",)),
    ("nassib", "place", ("nassib", "nasib"), ("نصيب",)),
    ("jaber", "place", ("jaber",), ("جابر",)),
    ("bab-al-hawa", "place", ("bab al hawa",), ("باب الهوى",)),
    ("jdeidet-yabous", "place", ("jdeidet yabous", "jdeidat yabous"), ("جديدة يابوس",)),
    ("masnaa", "place", ("masnaa", "masna"), ("المصنع",)),
    ("euphrates", "place", ("euphrates",), ("الفرات",)),
    ("tishreen-dam", "place", ("tishreen dam", "tishrin dam"), ("سد تشرين",)),
    ("qastal-maaf", "place", ("qastal maaf", "kastal maaf"), ("قسطل معاف",)),
    ("maarat-misrin", "place", ("maarat misrin", "maarrat misrin"), ("معرة مصرين",)),
    ("kafr-takharim", "place", ("kafr takharim",), ("كفرتخاريم", "كفر تخاريم")),
    ("saraqib", "place", ("saraqib",), ("سراقب",)),
    ("sarmada", "place", ("sarmada",), ("سرمدا",)),
    ("al-qaim", "place", ("al qaim", "qaim"), ("القائم",)),
    ("hermon", "place", ("hermon", "jabal al sheikh"), ("جبل الشيخ",)),
    ("golan", "place", ("golan",), ("الجولان",)),
    ("coast", "place", ("coastal",), ("الساحل",)),
    # --- the region ------------------------------------------------------------------
    ("jordan", "place", ("jordan", "jordanian"), ("الأردن", "الأردنية", "الأردني")),
    ("amman", "place", ("amman",), ("عمان", "عمّان")),
    ("lebanon", "place", ("lebanon", "lebanese"), ("لبنان", "اللبنانية", "اللبناني")),
    ("beirut", "place", ("beirut",), ("بيروت",)),
    ("iraq", "place", ("iraq", "iraqi"), ("العراق", "العراقية", "العراقي")),
    ("baghdad", "place", ("baghdad",), ("بغداد",)),
    (
        "turkey",
        "place",
        ("turkey", "turkiye", "türkiye", "turkish"),
        ("تركيا", "التركية", "التركي"),
    ),
    ("ankara", "place", ("ankara",), ("أنقرة",)),
    ("israel", "place", ("israel", "israeli"), ("إسرائيل", "الإسرائيلية", "الإسرائيلي")),
    ("saudi-arabia", "place", ("saudi arabia", "saudi"), ("السعودية",)),
    ("riyadh", "place", ("riyadh",), ("الرياض",)),
    ("qatar", "place", ("qatar", "qatari"), ("قطر", "القطرية", "القطري")),
    ("uae", "place", ("uae", "united arab emirates", "emirati"), ("الإمارات",)),
    ("egypt", "place", ("egypt", "egyptian"), ("مصر", "المصرية", "المصري")),
    ("russia", "place", ("russia", "russian"), ("روسيا", "الروسية", "الروسي")),
    ("iran", "place", ("iran", "iranian"), ("إيران", "الإيرانية", "الإيراني")),
    (
        "usa",
        "place",
        ("united states", "washington", "american"),
        ("الولايات المتحدة", "واشنطن", "الأمريكية", "الأميركية"),
    ),
    ("gulf", "place", ("gulf",), ("الخليج", "الخليجية", "خليجيون", "الخليجي")),
    ("erbil", "place", ("erbil", "hawler"), ("أربيل",)),
    ("sulaimani", "place", ("sulaimani", "sulaymaniyah", "slemani"), ("السليمانية",)),
    ("duhok", "place", ("duhok", "dohuk"), ("دهوك",)),
    ("diyala", "place", ("diyala",), ("ديالى",)),
    ("kurdistan-region", "place", ("kurdistan region",), ("إقليم كردستان",)),
    ("gaza", "place", ("gaza",), ("غزة",)),
    # --- people ----------------------------------------------------------------------
    ("ahmed-al-sharaa", "person", ("al sharaa", "ahmed al sharaa", "ahmad al sharaa"), ("الشرع",)),
    ("asaad-al-shaibani", "person", ("shaibani", "al shaibani", "al shibani"), ("الشيباني",)),
    ("mazloum-abdi", "person", ("mazloum abdi", "mazlum abdi"), ("مظلوم عبدي",)),
    ("geir-pedersen", "person", ("pedersen",), ("بيدرسن", "بيدرسون")),
    ("raed-al-saleh", "person", ("raed al saleh",), ("رائد الصالح",)),
    ("abdulkader-husrieh", "person", ("husrieh", "husriyeh"), ("الحصرية",)),
    ("bashar-al-assad", "person", ("assad",), ("الأسد",)),
    ("ayman-safadi", "person", ("safadi",), ("الصفدي",)),
    ("mohammed-al-bashir", "person", ("al bashir",), ("البشير",)),
    ("mohammad-nidal-al-shaar", "person", ("al shaar",), ("الشعار",)),
    # --- organisations ---------------------------------------------------------------
    ("un", "org", ("united nations", "un"), ("الأمم المتحدة", "الأممية")),
    ("unicef", "org", ("unicef",), ("يونيسف", "اليونيسف")),
    (
        "wfp",
        "org",
        ("wfp", "world food programme", "world food program"),
        ("برنامج الأغذية العالمي",),
    ),
    ("unhcr", "org", ("unhcr", "refugee agency"), ("مفوضية اللاجئين",)),
    ("who", "org", ("world health organization", "who"), ("منظمة الصحة العالمية",)),
    ("sdf", "org", ("sdf", "syrian democratic forces"), ("قسد", "قوات سوريا الديمقراطية")),
    ("red-crescent", "org", ("red crescent", "sarc"), ("الهلال الأحمر",)),
    ("world-bank", "org", ("world bank",), ("البنك الدولي",)),
    ("eu", "org", ("european union", "eu"), ("الاتحاد الأوروبي",)),
    (
        "white-helmets",
        "org",
        ("white helmets", "civil defence", "civil defense"),
        ("الدفاع المدني", "الخوذ البيضاء"),
    ),
    ("autonomous-administration", "org", ("autonomous administration",), ("الإدارة الذاتية",)),
    (
        "chamber-of-commerce",
        "org",
        ("chamber of commerce", "chambers of commerce"),
        ("غرفة تجارة", "غرف التجارة"),
    ),
    ("central-bank", "org", ("central bank",), ("المصرف المركزي", "مصرف سورية المركزي")),
    ("royal-jordanian", "org", ("royal jordanian",), ("الملكية الأردنية",)),
    ("damascus-fair", "org", ("damascus international fair",), ("معرض دمشق الدولي",)),
    (
        "al-furat-university",
        "org",
        ("al furat university", "euphrates university"),
        ("جامعة الفرات",),
    ),
    # --- topics ----------------------------------------------------------------------
    ("water", "topic", ("water", "pumping", "drinking"), ("مياه", "المياه", "ماء", "ضخ", "الشرب")),
    (
        "electricity",
        "topic",
        ("electricity", "power", "blackout", "rationing"),
        ("كهرباء", "الكهرباء", "التقنين", "الكهربائية"),
    ),
    (
        "fuel",
        "topic",
        ("fuel", "diesel", "petrol", "gasoline"),
        ("محروقات", "المحروقات", "مازوت", "المازوت", "بنزين", "وقود"),
    ),
    (
        "bread",
        "topic",
        ("bread", "bakery", "bakeries", "flour"),
        ("خبز", "الخبز", "أفران", "فرن", "طحين", "الطحين", "ربطة"),
    ),
    ("wheat", "topic", ("wheat", "harvest"), ("قمح", "القمح", "حصاد")),
    ("olive", "topic", ("olive", "olives"), ("زيتون", "الزيتون")),
    (
        "textile",
        "topic",
        ("textile", "textiles", "garment", "garments", "clothes"),
        ("نسيج", "النسيج", "ألبسة", "الألبسة", "ملابس"),
    ),
    (
        "trade",
        "topic",
        ("trade", "export", "exports", "import", "imports", "trucks"),
        ("تجارة", "التجارة", "التجاري", "تصدير", "التصدير", "صادرات", "استيراد", "شاحنات"),
    ),
    ("transport", "topic", ("transport", "transit"), ("النقل", "نقل", "العبور")),
    (
        "school",
        "topic",
        ("school", "schools", "pupils", "students", "teachers", "exams"),
        ("مدارس", "مدرسة", "المدارس", "طلاب", "الطلاب", "معلمين", "المعلمين", "امتحانات"),
    ),
    (
        "health",
        "topic",
        ("cholera", "hospital", "vaccine", "vaccination", "disease"),
        ("كوليرا", "الكوليرا", "مشفى", "مستشفى", "لقاح", "مرض"),
    ),
    (
        "returnees",
        "topic",
        ("returnees", "return", "returned", "returning"),
        ("عودة", "العائدين", "العائدون", "عائدين", "يعودون"),
    ),
    (
        "displaced",
        "topic",
        ("displaced", "camps", "camp", "refugees"),
        ("النازحين", "نازحين", "مخيمات", "المخيمات", "لاجئين", "اللاجئين"),
    ),
    (
        "fire",
        "topic",
        ("fire", "fires", "wildfire", "wildfires", "blaze"),
        ("حرائق", "الحرائق", "حريق", "الحريق"),
    ),
    ("frost", "topic", ("frost", "freeze", "cold snap"), ("صقيع", "الصقيع")),
    ("drought", "topic", ("drought", "dry season", "rainfall"), ("جفاف", "الجفاف", "الأمطار")),
    (
        "farmers",
        "topic",
        ("farmers", "farmer", "crops", "sowing"),
        ("مزارعين", "المزارعين", "مزارعو", "المزارعون", "المحاصيل", "زراعة"),
    ),
    (
        "investment",
        "topic",
        ("investment", "investors", "investor"),
        ("استثمار", "الاستثمار", "مستثمرين", "المستثمرين", "مستثمرون", "استثمارات"),
    ),
    ("ports", "topic", ("port", "ports"), ("ميناء", "مرفأ", "الموانئ", "موانئ", "المرفأ")),
    (
        "fair",
        "topic",
        ("fair", "exhibition", "pavilions", "visitors"),
        ("معرض", "المعرض", "أجنحة", "زوار", "الزوار"),
    ),
    (
        "currency",
        "topic",
        ("pound", "dollar", "exchange rate", "currency"),
        ("الليرة", "ليرة", "الدولار", "الصرف"),
    ),
    ("prices", "topic", ("price", "prices"), ("سعر", "أسعار", "الأسعار")),
    ("rent", "topic", ("rent", "rents", "rental"), ("إيجار", "الإيجارات", "إيجارات")),
    (
        "housing",
        "topic",
        ("housing", "homes", "houses", "rebuild", "rebuilding"),
        ("منازل", "المنازل", "مساكن", "سكن", "ترميم"),
    ),
    (
        "property",
        "topic",
        ("property", "title deeds", "ownership"),
        ("عقارات", "الملكية", "ملكية", "سندات"),
    ),
    (
        "security",
        "topic",
        ("security", "patrols", "military", "troops"),
        ("الأمن", "أمنية", "دوريات", "العسكرية"),
    ),
    (
        "killing",
        "topic",
        ("killed", "killing", "gunmen", "shot"),
        ("مقتل", "قتل", "مسلحون", "مسلحين"),
    ),
    (
        "explosion",
        "topic",
        ("explosion", "landmine", "ordnance", "mine", "blast"),
        ("انفجار", "لغم", "مخلفات"),
    ),
    (
        "talks",
        "topic",
        ("talks", "negotiations", "agreement", "meeting"),
        ("محادثات", "مفاوضات", "اتفاق", "اجتماع"),
    ),
    (
        "elections",
        "topic",
        ("elections", "election", "vote", "parliamentary", "assembly"),
        ("انتخابات", "الانتخابات", "مجلس الشعب"),
    ),
    ("sanctions", "topic", ("sanctions",), ("العقوبات", "عقوبات")),
    (
        "embassy",
        "topic",
        ("embassy", "embassies", "ambassador", "ambassadors", "credentials"),
        ("سفارة", "السفارات", "سفير", "السفراء", "أوراق اعتماد"),
    ),
    ("rubble", "topic", ("rubble", "debris"), ("الأنقاض", "أنقاض", "الركام")),
    (
        "ferry",
        "topic",
        ("ferry", "ferries", "boats", "crossing"),
        ("عبارة", "العبارات", "معبر", "المعبر", "قوارب"),
    ),
    ("earthquake", "topic", ("earthquake", "quake"), ("زلزال", "الزلزال")),
    ("snow", "topic", ("snow", "snowfall", "storm"), ("ثلوج", "الثلوج", "عاصفة")),
    ("floods", "topic", ("flood", "floods", "flooded", "rain"), ("سيول", "فيضان", "أمطار")),
    ("radio", "topic", ("radio", "station", "broadcast"), ("إذاعة", "الإذاعة", "راديو")),
    (
        "missing",
        "topic",
        ("missing", "detainees", "disappeared"),
        ("المفقودين", "مفقودين", "المعتقلين", "المختفين"),
    ),
    ("university", "topic", ("university", "universities"), ("جامعة", "الجامعة")),
    (
        "aid",
        "topic",
        ("aid", "convoy", "humanitarian", "relief"),
        ("مساعدات", "المساعدات", "قافلة", "الإنسانية", "إغاثة"),
    ),
    ("tourism", "topic", ("tourism", "tourists", "hotels"), ("السياحة", "سياح", "فنادق")),
)

# The kinds whose spellings name one thing: search treats them as one word
# (archive.search). Topics group different words, and are left out.
NAMED = frozenset({"common", "place", "person", "org"})

# Spellings listed above for linking stories that are adjectives, not the name
# ("Syrian", "السورية"): a search for the name does not look for them.
ADJECTIVES = frozenset(
    {
        "syrian", "jordanian", "lebanese", "iraqi", "turkish", "israeli", "qatari",
        "egyptian", "russian", "iranian",
        "السوري", "السورية", "الأردنية", "الأردني", "اللبنانية", "اللبناني", "العراقية",
        "العراقي", "التركية", "التركي", "الإسرائيلية", "الإسرائيلي", "القطرية", "القطري",
        "المصرية", "المصري", "الروسية", "الروسي", "الإيرانية", "الإيراني", "الخليجية",
        "خليجيون", "الخليجي",
    }
)  # fmt: skip
