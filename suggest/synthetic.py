"""A synthetic community with known interests, for the offline evaluation and the benchmark.

Members get one or two interests. They write threads and replies on the board of an
interest, drawn from interest-specific templates that were written separately from the
engine's seed words (they share some words, as real posts would, and miss many), mixed
with filler every community shares and, now and then, a sentence from another theme.
Some posts are plain chit-chat with no theme at all. Goals follow interests too.

Everything is deterministic for a given seed. Nothing here touches a database: the
evaluation and the benchmark store what this makes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Board name, description, the theme it is about ("" for none).
BOARDS: tuple[tuple[str, str, str], ...] = (
    ("Introductions", "Say hello, if you like.", ""),
    ("Sleep", "Nights, rest and routines.", "sleep"),
    ("Anxiety", "Worry and what helps.", "anxiety"),
    ("Panic", "When it all hits at once.", "panic"),
    ("Low mood", "The heavy days, and getting through them.", "low mood"),
    ("Recovery", "Staying on the road, one day at a time.", "recovery"),
    ("Loneliness", "Finding company and connection.", "loneliness"),
    ("Grief", "Loss, and living with it.", "grief"),
    ("Stress", "Too much on the plate.", "stress"),
    ("Work", "Jobs, bosses and looking for work.", "work"),
    ("Relationships", "Partners, family and friends.", "relationships"),
    ("Movement", "Walking, running, stretching: moving a little.", "exercise"),
    ("Food", "Meals, appetite and eating.", "eating"),
    ("Off-topic", "Everything else.", ""),
)

INTERESTS: tuple[str, ...] = tuple(theme for _n, _d, theme in BOARDS if theme)

# Titles and sentences per interest, in members' own words.
TITLES: dict[str, tuple[str, ...]] = {
    "sleep": (
        "Another night staring at the ceiling",
        "3am again",
        "How do you switch off?",
        "Lights out routine",
        "Too wired to drift off",
    ),
    "anxiety": (
        "The what-ifs won't stop",
        "Nervous about tomorrow",
        "Always on edge",
        "Overthinking everything",
        "Worried sick",
    ),
    "panic": (
        "Had one in the supermarket",
        "Heart going like a drum",
        "Can't catch my breath",
        "Attacks are back",
        "Grounding tips?",
    ),
    "low mood": (
        "Grey days",
        "Can't find the point",
        "Heavy week",
        "Flat and empty",
        "Crying for no reason",
    ),
    "recovery": (
        "Day 12",
        "Cravings tonight",
        "Back at meetings",
        "Slipped last weekend",
        "Sober and scared",
    ),
    "loneliness": (
        "Nobody to talk to",
        "Quiet house",
        "Weekends are the worst",
        "Feeling invisible",
        "Want to belong somewhere",
    ),
    "grief": (
        "Missing my mum",
        "One year since he passed",
        "The funeral was today",
        "Grief comes in waves",
        "Lost my dog",
    ),
    "stress": (
        "Everything at once",
        "Drowning in bills",
        "Close to burning out",
        "Exams next week",
        "Too much on",
    ),
    "work": (
        "New manager",
        "Interview tomorrow",
        "Got laid off",
        "Dreading Monday",
        "Colleagues ignore me",
    ),
    "relationships": (
        "We argue all the time",
        "Broke up last night",
        "Family dinner dread",
        "Trust issues",
        "Boundaries with my parents",
    ),
    "exercise": (
        "First jog in years",
        "Walked to the park",
        "Yoga helped today",
        "Back at the gym",
        "Tiny workout",
    ),
    "eating": (
        "Skipped meals again",
        "Binged last night",
        "Body image day",
        "Trying regular meals",
        "Appetite gone",
    ),
}

SENTENCES: dict[str, tuple[str, ...]] = {
    "sleep": (
        "I lay awake until four and then the alarm went at seven.",
        "Tried melatonin and no screens in bed but my head still races at night.",
        "I keep waking up at 3am and cannot get back to sleep.",
        "The exhaustion during the day is awful, I nap and then can't sleep.",
        "Nightmares again, woke up sweating.",
        "Is a bedtime routine worth it? I am so tired of being tired.",
        "My pillow and my thoughts are not friends at night.",
    ),
    "anxiety": (
        "My mind keeps spinning what if scenarios about everything.",
        "I feel nervous all the time, like something bad is about to happen.",
        "The worry sits in my stomach before any phone call.",
        "I avoid going out because the dread builds up for days.",
        "I keep asking people for reassurance and hate myself for it.",
        "Overthinking every message I send.",
        "Health anxiety has me googling symptoms at midnight.",
    ),
    "panic": (
        "My heart started pounding and my chest went tight out of nowhere.",
        "I felt dizzy and shaky and was sure I was going to faint.",
        "Breathing in for four and out for six got me through it.",
        "The attack lasted ten minutes but it felt like forever.",
        "My hands were tingling and I couldn't breathe properly.",
        "I had to leave the bus because the panic hit so hard.",
        "Grounding with five things I can see helped a bit.",
    ),
    "low mood": (
        "Everything feels grey and pointless lately.",
        "I stayed in bed most of the day, no energy for anything.",
        "I feel empty and flat, even things I used to enjoy.",
        "Crying again without knowing why.",
        "The depression is heavy this week.",
        "Started antidepressants, hoping they help.",
        "It is hard to see any hope on days like this.",
    ),
    "recovery": (
        "Two weeks sober today and the cravings are loud.",
        "I went to a meeting and my sponsor called after.",
        "Walked past the pub and the urge to drink was huge.",
        "I relapsed on Saturday and I'm starting the count again.",
        "One day at a time is all I can manage.",
        "Alcohol was my answer to everything for years.",
        "The first month clean felt impossible but here I am.",
    ),
    "loneliness": (
        "I haven't spoken to anyone in days.",
        "Everyone seems to have friends except me.",
        "The house is so quiet at the weekend.",
        "I feel invisible at work and at home.",
        "I miss having people to just sit with.",
        "Moved to a new city and I know nobody here.",
        "Lonely evenings are the hardest part.",
    ),
    "grief": (
        "My mum died in March and I still reach for the phone to call her.",
        "The anniversary of his death is coming up.",
        "Grief hits me in the supermarket of all places.",
        "We had the funeral on Friday and now everything is silent.",
        "I keep looking at old photos and memories.",
        "Losing my dad has changed everything.",
        "Our dog passed away and the house feels empty.",
    ),
    "stress": (
        "Bills, deadlines and the kids, I am completely overwhelmed.",
        "I snapped at everyone today because of the pressure.",
        "I think I'm burning out, too much on my plate.",
        "Exams next week and I can't cope with the stress.",
        "Money worries keep piling up with the debt.",
        "Juggling everything and dropping it all.",
        "I feel like I'm at breaking point.",
    ),
    "work": (
        "My boss criticised me in front of the whole team.",
        "I have a job interview on Thursday.",
        "Got made redundant after eight years at the company.",
        "My workload doubled and nobody noticed.",
        "Shift work is wrecking my week.",
        "Colleagues go to lunch without me.",
        "Thinking about changing career altogether.",
    ),
    "relationships": (
        "My partner and I argue about everything lately.",
        "We broke up after four years together.",
        "Family gatherings always end in a fight.",
        "I don't know if I can trust him again.",
        "Setting boundaries with my parents is so hard.",
        "My sister and I haven't spoken since the wedding.",
        "Dating again feels terrifying.",
    ),
    "exercise": (
        "Went for a short walk around the block and felt a bit better.",
        "Did twenty minutes of yoga this morning.",
        "First run in years, only two kilometres but I did it.",
        "Back at the gym after months away.",
        "Stretching before bed seems to help my back.",
        "Cycled to the shops instead of driving.",
        "Fresh air and moving my body helps my head.",
    ),
    "eating": (
        "I skipped breakfast and lunch again.",
        "Binged on snacks last night and felt awful.",
        "Trying to eat three regular meals a day.",
        "Body image is really getting to me this week.",
        "My appetite has completely gone.",
        "Counting calories is taking over my life.",
        "Cooked a proper meal for the first time in weeks.",
    ),
}

# Words and sentences every community shares: noise that belongs to no theme.
FILLER: tuple[str, ...] = (
    "Not sure why I'm posting this.",
    "Thanks for reading.",
    "Hope everyone is ok today.",
    "Anyone else?",
    "Sorry for the long post.",
    "It's been a long week.",
    "I don't really know what to do.",
    "Any advice welcome.",
    "Feeling a bit better now.",
    "Just needed to get it out.",
    "Hard day.",
    "Thanks all for being here.",
)
CHITCHAT: tuple[tuple[str, str], ...] = (
    ("Hello everyone", "Hi all, new here. I like gardening and old films."),
    ("Favourite tea?", "What is everyone drinking today? I'm on peppermint."),
    ("Cat photos", "My cat knocked a plant off the shelf again."),
    ("Weekend plans", "Might visit the market on Saturday."),
    ("Music thread", "Listening to some old records today, what about you?"),
    ("Good book", "Just finished a detective novel, recommendations welcome."),
)
GOAL_TITLES: dict[str, tuple[str, str]] = {
    # interest -> (goal title, goal category)
    "sleep": ("Lights out by eleven", "sleep"),
    "recovery": ("Stay sober", "sobriety"),
    "low mood": ("Get outside once a day", "mood"),
    "loneliness": ("Message one friend", "social"),
    "exercise": ("Walk every day", "movement"),
    "anxiety": ("Practise breathing when worried", "custom"),
    "panic": ("Grounding when my heart races", "custom"),
    "grief": ("Write to mum in my journal", "custom"),
    "stress": ("Take a proper lunch break", "custom"),
    "work": ("Apply for one job a week", "custom"),
    "relationships": ("Call my sister", "custom"),
    "eating": ("Eat three meals", "custom"),
}


@dataclass
class SyntheticPost:
    author: int
    board: str
    title: str  # "" for a reply
    body: str
    theme: str  # the theme it was written about ("" for chit-chat)
    thread: int  # index of the thread it belongs to


@dataclass
class SyntheticMember:
    index: int
    name: str
    interests: tuple[str, ...]
    goals: list[tuple[str, str, str]] = field(default_factory=list)  # title, category, vis.


@dataclass
class SyntheticCommunity:
    members: list[SyntheticMember]
    posts: list[SyntheticPost]
    # Thread index -> (board, theme, author).
    threads: list[tuple[str, str, int]]


def _body(rng: random.Random, theme: str, noise: float) -> str:
    pieces = rng.sample(SENTENCES[theme], k=rng.randint(1, 3))
    if rng.random() < noise:
        other = rng.choice([t for t in INTERESTS if t != theme])
        pieces.append(rng.choice(SENTENCES[other]))
    pieces += rng.sample(FILLER, k=rng.randint(0, 2))
    rng.shuffle(pieces)
    return " ".join(pieces)


def generate(
    members: int,
    posts: int,
    *,
    seed: int = 7,
    noise: float = 0.15,
    chitchat: float = 0.15,
    replies_per_thread: int = 4,
) -> SyntheticCommunity:
    """`members` members writing about `posts` posts in all (threads and their replies)."""
    rng = random.Random(seed)
    people: list[SyntheticMember] = []
    by_interest: dict[str, list[int]] = {t: [] for t in INTERESTS}
    for i in range(members):
        interests = tuple(rng.sample(INTERESTS, k=rng.choice((1, 2, 2))))
        member = SyntheticMember(i, f"member{i:05d}", interests)
        for interest in interests:
            by_interest[interest].append(i)
            if rng.random() < 0.5:
                title, category = GOAL_TITLES[interest]
                visibility = "community" if rng.random() < 0.5 else "private"
                member.goals.append((title, category, visibility))
        people.append(member)
    board_of = {theme: name for name, _d, theme in BOARDS if theme}
    written: list[SyntheticPost] = []
    threads: list[tuple[str, str, int]] = []
    while len(written) < posts:
        author = rng.randrange(members)
        if rng.random() < chitchat:
            title, body = rng.choice(CHITCHAT)
            board = rng.choice(("Introductions", "Off-topic"))
            threads.append((board, "", author))
            written.append(SyntheticPost(author, board, title, body, "", len(threads) - 1))
            continue
        theme = rng.choice(people[author].interests)
        board = board_of[theme]
        threads.append((board, theme, author))
        thread = len(threads) - 1
        written.append(
            SyntheticPost(
                author, board, rng.choice(TITLES[theme]), _body(rng, theme, noise), theme, thread
            )
        )
        for _ in range(rng.randint(0, replies_per_thread * 2)):
            if len(written) >= posts:
                break
            replier = rng.choice(by_interest[theme])
            written.append(
                SyntheticPost(replier, board, "", _body(rng, theme, noise), theme, thread)
            )
    return SyntheticCommunity(people, written, threads)
