"""The fixed theme vocabulary: human names and the seed words that describe each theme.

Seeds are written by hand for a peer-support community. They are the only thing the
engine "knows" about a theme; member texts are matched against them.
"""

from __future__ import annotations

# name -> seed description. Names are what members read ("because you wrote about sleep").
THEME_SEEDS: dict[str, str] = {
    "sleep": """
        sleep sleeping slept asleep awake insomnia tired exhausted exhaustion night nights
        nightly bed bedtime pillow nap naps dream dreams nightmare nightmares 3am 4am
        rest resting restless wake waking woke alarm snooze caffeine melatonin sleep
        hygiene routine routines drowsy fatigue yawning bedroom lie awake up all night
        """,
    "anxiety": """
        anxiety anxious worry worried worrying worries nervous nerves overthinking
        overthink racing thoughts dread uneasy on edge what if catastrophising fear
        fears scared afraid tense tension butterflies reassurance avoid avoidance
        social anxiety health anxiety generalised ruminating rumination
        """,
    "panic": """
        panic panicking panicked panic attack panic attacks heart racing pounding heart
        palpitations chest tight breathe breathing breathless hyperventilating shaking
        trembling dizzy faint choking numb tingling grounding five senses terror
        sudden wave of fear going to die losing control
        """,
    "low mood": """
        low mood depressed depression sad sadness down empty hopeless hopelessness numb
        heavy grey gray bleak worthless unmotivated motivation cry crying tears dark
        darkness flat joyless cannot get out of bed no energy low days heavy days
        antidepressant antidepressants therapy
        """,
    "recovery": """
        recovery recovering sober sobriety clean drink drinking drunk alcohol booze beer
        wine relapse relapsed craving cravings urge urges using drugs addiction addicted
        meeting meetings sponsor steps twelve step one day at a time days sober
        abstinence withdrawal detox rehab chip
        """,
    "loneliness": """
        lonely loneliness alone isolated isolation no friends nobody friendless
        disconnected left out invisible company connection belong belonging miss people
        weekend alone talk to someone no one to talk to empty flat quiet house
        """,
    "grief": """
        grief grieving loss lost bereavement bereaved died death passed away funeral
        mourning mourn miss him miss her widow widowed anniversary memory memories
        mum dad mother father grandmother grandfather pet passed gone forever heartbroken
        """,
    "stress": """
        stress stressed stressful pressure overwhelmed overwhelm burnout burned out
        burnt out too much juggling deadline deadlines bills money debt exams exam
        frazzled tense cope coping snapped irritable breaking point
        """,
    "work": """
        work job jobs boss manager colleague colleagues coworker coworkers office shift
        shifts career interview unemployed unemployment fired laid off redundancy
        workplace meeting deadline promotion salary commute workload
        """,
    "relationships": """
        relationship relationships partner boyfriend girlfriend husband wife marriage
        married divorce divorced breakup break up broke up dating argue arguing argument
        fight fighting trust jealous family parents mum dad sibling sister brother
        friendship boundaries
        """,
    "self-harm recovery": """
        self harm self-harm selfharm cutting cut urge to cut scars scar wounds hurting
        myself hurt myself harm free days clean from self harm relapse blades
        distraction ice cube elastic band safety plan
        """,
    "wins": """
        win wins proud progress milestone achievement achieved managed finally did it
        small win celebrate celebrating success succeeded streak good news happy today
        went well accomplished better than yesterday first time
        """,
    "exercise": """
        exercise exercising walk walking walked run running ran jog jogging gym workout
        yoga stretch stretching swim swimming cycling bike steps movement active fitness
        outside fresh air
        """,
    "eating": """
        eating food meals meal appetite binge binging bingeing restrict restricting
        weight body image hungry hunger diet dieting snack snacking purging calories
        nourish nourishing eating disorder
        """,
    "habits": """
        habit habits routine routines building breaking screen time phone scrolling
        procrastination procrastinating discipline consistency consistent daily practice
        journaling journal meditation meditate tracking
        """,
}

# Goal categories (bbs.goals.records.CATEGORIES) that name a theme outright.
GOAL_CATEGORY_THEMES: dict[str, str] = {
    "sleep": "sleep",
    "sobriety": "recovery",
    "mood": "low mood",
    "social": "loneliness",
    "movement": "exercise",
}

THEMES: tuple[str, ...] = tuple(THEME_SEEDS)
