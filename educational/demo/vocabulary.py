"""The made-up vocabulary of ``flask demo seed``: names from several cultures with their
home countries and languages, the countries where aluminium is worked, accreditation bodies,
firm names, audited entities, and how often each sector appears."""

# (given names, family names, family name first?, {home country: language}, weight)
CULTURES: dict[str, tuple[list[str], list[str], bool, dict[str, str], int]] = {
    "nordic": (
        ["Ingrid", "Lars", "Sigrid", "Erik", "Kari", "Ola", "Astrid", "Magnus", "Solveig",
         "Henrik", "Þóra", "Bjørn", "Guðrún", "Jón", "Freya", "Nils", "Åsa", "Øystein"],
        ["Hansen", "Johansen", "Olsen", "Larsen", "Berg", "Haugen", "Dahl", "Lie", "Strand",
         "Sigurðsson", "Magnússon", "Lindqvist", "Eriksson", "Bakke", "Nygård", "Solberg"],
        False, {"NO": "no", "IS": "is", "SE": "sv"}, 8,
    ),
    "chinese": (
        ["Wei", "Fang", "Jing", "Lei", "Min", "Xiaoling", "Hao", "Yan", "Jun", "Li", "Qiang",
         "Mei", "Tao", "Ying", "Zhiwei", "Xin"],
        ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu",
         "Sun", "Ma", "Zhu", "Hu", "Guo"],
        True, {"CN": "zh"}, 14,
    ),
    "brazilian": (
        ["Ana", "João", "Mariana", "Pedro", "Beatriz", "Lucas", "Camila", "Rafael",
         "Fernanda", "Gabriel", "Juliana", "Thiago", "Luísa", "Caio"],
        ["Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida",
         "Nascimento", "Lima", "Araújo", "Carvalho", "Gonçalves", "Ribeiro"],
        False, {"BR": "pt"}, 9,
    ),
    "french": (
        ["Camille", "Julien", "Léa", "Mathieu", "Chloé", "Nicolas", "Élodie", "Antoine",
         "Manon", "Hugo", "Sophie", "Étienne"],
        ["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Tremblay", "Gagnon",
         "Roux", "Fournier", "Lambert", "Bouchard"],
        False, {"FR": "fr", "CA": "fr"}, 6,
    ),
    "west_african": (
        ["Mamadou", "Aïssatou", "Ibrahima", "Fatoumata", "Kwame", "Ama", "Kofi", "Akosua",
         "Abdoulaye", "Mariama", "Yaw", "Efua"],
        ["Diallo", "Bah", "Camara", "Sylla", "Barry", "Mensah", "Owusu", "Boateng", "Asante",
         "Touré", "Soumah", "Appiah"],
        False, {"GN": "fr", "GH": "en"}, 5,
    ),
    "german": (
        ["Anna", "Lukas", "Katharina", "Jonas", "Sophie", "Maximilian", "Laura", "Felix",
         "Johanna", "Tobias", "Lena", "Jürgen"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Hoffmann", "Schulz", "Krüger", "Koch"],
        False, {"DE": "de", "AT": "de", "CH": "de"}, 8,
    ),
    "indian": (
        ["Priya", "Arjun", "Ananya", "Rahul", "Kavya", "Vikram", "Deepa", "Sanjay", "Lakshmi",
         "Rohan", "Meera", "Aditya"],
        ["Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Rao", "Menon", "Das",
         "Kulkarni", "Banerjee"],
        False, {"IN": "hi"}, 9,
    ),
    "arabic": (
        ["Fatima", "Omar", "Layla", "Yousef", "Mariam", "Khalid", "Noura", "Ahmed", "Huda",
         "Saeed", "Aisha", "Hassan"],
        ["Al-Mansouri", "Al-Hashimi", "Haddad", "Al-Khalifa", "Al-Qahtani", "Nasser",
         "Al-Farsi", "Saleh", "Al-Amri", "Hamdan", "Al-Balushi", "Khoury"],
        False, {"AE": "ar", "BH": "ar", "SA": "ar", "OM": "ar"}, 7,
    ),
    "japanese": (
        ["Yuki", "Haruto", "Aoi", "Sota", "Hina", "Ren", "Sakura", "Takumi", "Mio", "Daiki"],
        ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato"],
        False, {"JP": "ja"}, 3,
    ),
    "anglo": (
        ["Olivia", "Jack", "Charlotte", "William", "Amelia", "Noah", "Grace", "Thomas",
         "Emily", "James", "Chloe", "Liam", "Aroha", "Tane"],
        ["Smith", "Jones", "Williams", "Brown", "Taylor", "Wilson", "Campbell", "Anderson",
         "Thompson", "Walker", "O'Brien", "MacDonald", "Ngata", "Reid"],
        False, {"AU": "en", "CA": "en", "US": "en", "GB": "en", "NZ": "en", "JM": "en"}, 12,
    ),
    "russian": (
        ["Anastasia|f", "Dmitri|m", "Ekaterina|f", "Sergei|m", "Olga|f", "Alexei|m",
         "Natalia|f", "Ivan|m", "Yelena|f", "Mikhail|m"],
        ["Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Volkov", "Morozov"],
        False, {"RU": "ru", "KZ": "ru"}, 5,
    ),
    "malay_indonesian": (
        ["Nur", "Ahmad", "Siti", "Muhammad", "Aisyah", "Hafiz", "Dewi", "Budi", "Putri",
         "Agus"],
        ["Abdullah", "Rahman", "Hassan", "Ismail", "Santoso", "Wijaya", "Hidayat", "Saputra",
         "Halim", "Kurniawan"],
        False, {"MY": "ms", "ID": "id"}, 5,
    ),
    # Names in their own scripts, as people write them: Chinese and Japanese family name
    # first without a space (``full_name``), Russian with the feminine ending, Arabic and
    # Greek, Korean family name first.
    "chinese_hanzi": (
        ["伟", "芳", "静", "磊", "敏", "晓玲", "浩", "燕", "军", "丽", "强", "梅", "涛", "颖",
         "志伟", "欣"],
        ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
         "胡", "郭", "欧阳"],
        True, {"CN": "zh"}, 8,
    ),
    "japanese_kanji": (
        ["結衣", "陽翔", "葵", "蒼", "陽菜", "蓮", "さくら", "拓海", "美桜", "大輝"],
        ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村", "小林", "加藤"],
        True, {"JP": "ja"}, 2,
    ),
    "russian_cyrillic": (
        ["Анастасия|f", "Дмитрий|m", "Екатерина|f", "Сергей|m", "Ольга|f", "Алексей|m",
         "Наталья|f", "Иван|m", "Елена|f", "Михаил|m"],
        ["Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Волков", "Морозов"],
        False, {"RU": "ru", "KZ": "ru"}, 3,
    ),
    "arabic_script": (
        ["فاطمة", "عمر", "ليلى", "يوسف", "مريم", "خالد", "نورة", "أحمد"],
        ["المنصوري", "الهاشمي", "حداد", "القحطاني", "ناصر", "الفارسي", "صالح", "العامري"],
        False, {"AE": "ar", "SA": "ar", "OM": "ar"}, 2,
    ),
    "greek": (
        ["Γιώργος", "Μαρία", "Νίκος", "Ελένη", "Κώστας", "Σοφία", "Δημήτρης", "Κατερίνα"],
        ["Αντωνίου", "Γεωργίου", "Οικονόμου", "Νικολάου", "Ιωάννου", "Δημητρίου",
         "Κωνσταντίνου", "Χριστοδούλου"],
        False, {"GR": "el"}, 2,
    ),
    "korean": (
        ["민준", "서연", "도윤", "지우", "하준", "서윤", "지호", "수아"],
        ["김", "이", "박", "최", "정", "강", "조", "윤"],
        True, {"KR": "ko"}, 2,
    ),
    "hispanic": (
        ["María", "José", "Lucía", "Carlos", "Sofía", "Javier", "Valentina", "Diego",
         "Camila", "Andrés"],
        ["García", "Martínez", "López", "González", "Rodríguez", "Fernández", "Sánchez",
         "Pérez", "Ramírez", "Torres"],
        False, {"ES": "es", "MX": "es", "CL": "es", "AR": "es"}, 6,
    ),
}  # fmt: skip

#: Countries where aluminium is mined, refined, smelted or worked, audited away from home.
AUDIT_COUNTRIES = (
    "AU", "BR", "CA", "CN", "DE", "GN", "IN", "IS", "NO", "AE", "BH", "SA", "RU", "MY",
    "ZA", "NZ", "JM", "GH", "US", "FR", "GB", "ES", "JP", "ID", "MX", "IT", "NL", "TR",
    "VN", "KZ", "OM", "QA", "TH", "SE", "AT", "CH",
)  # fmt: skip
ACCREDITATION_BODIES = {
    "DE": "DAkkS", "AT": "Akkreditierung Austria", "CH": "SAS", "GB": "UKAS",
    "AU": "JAS-ANZ", "NZ": "JAS-ANZ", "CN": "CNAS", "NO": "Norsk akkreditering",
    "SE": "Swedac", "IS": "ISAC", "FR": "COFRAC", "CA": "SCC", "US": "ANAB", "BR": "Cgcre",
    "IN": "NABCB", "AE": "EIAC", "BH": "GAC", "SA": "SAAC", "OM": "GAC", "JP": "JAB",
    "ES": "ENAC", "MX": "EMA", "MY": "Standards Malaysia", "ID": "KAN", "RU": "RusAccreditation",
}  # fmt: skip
LEGAL_FORMS = {
    "NO": "AS", "IS": "ehf.", "SE": "AB", "DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SAS",
    "BR": "Ltda.", "CN": "Co., Ltd.", "JP": "K.K.", "AU": "Pty Ltd", "GB": "Ltd", "US": "LLC",
    "ES": "S.L.", "MX": "S.A. de C.V.", "IN": "Pvt Ltd", "AE": "LLC", "MY": "Sdn Bhd",
}  # fmt: skip
FIRM_WORDS = (
    "Nordic", "Atlas", "Meridian", "Southern Cross", "Andes", "Baltic", "Pacific", "Sahel",
    "Himalaya", "Lotus", "Cedar", "Aurora", "Delta", "Summit", "Harbour", "Orion", "Granite",
    "Compass", "Sterling", "Eastern", "Fjord", "Amazonas", "Red Sea", "Jade", "Sakura",
)  # fmt: skip
FIRM_NOUNS = (
    "Assurance", "Certification", "Audit Services", "Verification", "Quality Partners",
    "Sustainability Assurance", "Inspection", "Conformity",
)  # fmt: skip
ENTITIES = (
    "Nordfjord Aluminium AS", "Atlantic Bauxite Company", "Sundvik Smelter",
    "Rio Verde Alumina", "Gulf Casthouse LLC", "Jiangnan Extrusions Co.",
    "Kimberley Bauxite Pty Ltd", "Straumsvík Smelter", "Pacific Rolled Products",
    "Alpine Foil GmbH", "Boké Mining Company", "Deccan Alumina Ltd",
)  # fmt: skip
#: Sectors by how often they appear in scopes.
SECTOR_WEIGHTS = {
    "aluminium-smelting": 6, "casthouse": 6, "semi-fabrication": 5, "material-conversion": 5,
    "remelting-refining": 4, "alumina-refining": 3, "bauxite-mining": 3,
    "other-manufacturing": 2, "post-casthouse": 3,
}  # fmt: skip
SPECIALIST_AREAS = (
    "indigenous-peoples-fpic", "biodiversity-rehabilitation", "human-rights",
    "community-engagement", "local-language-culture", "ghg-emissions",
)  # fmt: skip


def full_name(given: str, family: str, family_first: bool) -> str:
    """The name as its culture writes it: family name first where that is the custom, and no
    space between Chinese or Japanese names (Korean keeps none either)."""
    if not family_first:
        return f"{given} {family}"
    if all(_ideographic(c) for c in family + given):
        return f"{family}{given}"
    return f"{family} {given}"


def _ideographic(character: str) -> bool:
    """Han, kana or Hangul: the scripts written without a space between the names."""
    return (
        "\u3040" <= character <= "\u30ff"
        or "\u4e00" <= character <= "\u9fff"
        or ("\uac00" <= character <= "\ud7af")
    )


def feminine(family: str) -> str:
    """A Russian family name's feminine form (Ivanov, Ivanova; Иванов, Иванова)."""
    return family + ("\u0430" if "\u0400" <= family[-1] <= "\u04ff" else "a")
