"""Real names and sentences in many scripts, and the characters that must still be refused (issue 19).
Joiners (ZWJ U+200D, ZWNJ U+200C), variation selectors and emoji tag characters are parts of words and
emoji, not controls."""

from __future__ import annotations

NAMES = [
    "محمد عبد الله",  # Arabic
    "مهرداد نیک‌نام",  # Persian, ZWNJ inside the family name
    "سارا می‌رزایی",  # Persian, ZWNJ
    "प्रिया शर्मा",  # Hindi
    "लक्ष्‍मी",  # Hindi with an explicit ZWJ
    "王小明",  # Chinese
    "山田 太郎",  # Japanese
    "さくら・ミラー",  # Japanese, kana
    "김민준",  # Korean
    "สมชาย ใจดี",  # Thai
    "שרה כהן",  # Hebrew
    "José Pérez (Pepe)",
    "Zoë Martin (she/her)",
    "Siobhán O'Brien",
    "Nguyễn Thị Minh Khai",
    "Ἀριστοτέλης",  # polytonic Greek, combining marks
    "👨‍👩‍👧‍👦 Family Lin",  # family: ZWJ sequence
    "👩🏽‍💻 Priya",  # profession with a skin tone: ZWJ
    "🇯🇵 Yuki",  # flag: regional indicators
    "🏴󠁧󠁢󠁳󠁣󠁴󠁿 Morag",  # subdivision flag: emoji tag characters (Cf)
    "❤️ Ana",  # variation selector 16
]

SENTENCES = [
    "مرحباً، أنا أعمل على محركات الحوسبة وأودّ أن أسأل عن مجموعة القراءة.",
    "سلام، من علی هستم و می‌خواهم با شما درباره‌ی گروه کتاب‌خوانی صحبت کنم.",
    "नमस्ते, मैं प्रिया हूँ और मैं आपसे पढ़ने के समूह के बारे में मिलना चाहती हूँ।",
    "你好，我想请教你读书会是怎么挑选论文的，二十分钟就好。",
    "こんにちは。読書会の論文の選び方について二十分ほどお話を伺えませんか。",
    "안녕하세요, 독서 모임에서 논문을 고르는 방법을 20분 정도 여쭙고 싶습니다.",
    "สวัสดีครับ ผมอยากคุยเรื่องกลุ่มอ่านหนังสือสักยี่สิบนาทีครับ",
    "שלום, אשמח לעשרים דקות כדי לשאול איך קבוצת הקריאה בוחרת מאמרים.",
    "Our team 👩‍👩‍👧‍👦 loves the 🏴󠁧󠁢󠁷󠁬󠁳󠁿 and 🇰🇷 reading groups ❤️; 20 minutes, please? 👩🏽‍🔬",
]

# What is still refused: C0/C1 controls, line and paragraph separators, bidi embeddings, overrides and
# isolates (Trojan Source), and lone surrogates.
DANGEROUS = [
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ud800",
]
