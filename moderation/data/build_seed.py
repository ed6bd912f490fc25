"""Builds moderation/data/seed.jsonl deterministically from the hand-written sentences below.

Run: .venv/bin/python moderation/data/build_seed.py  (rewrites seed.jsonl; same output every run)

Every sentence here was written for this project. Each hand-written base sentence becomes
one to three records: the sentence itself plus style variants a member might type (all lower
case, typos, chat shorthand, emoji, openers, and for abuse and spam the evasions people use:
leetspeak, masked letters, spaced letters, lookalike characters). Composed kinds join short
hand-written fragments (a situation, a feeling, a way of coping). Every record carries a
`group` naming the base sentence or core fragment it came from, so the train/validation split
keeps all variants of one sentence on the same side. No method details of self-harm or
suicide appear anywhere, by rule.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path

OUT = Path(__file__).with_name("seed.jsonl")
SEED = 20240611

# (harassment, spam, crisis)
Labels = tuple[int, int, int]
NONE: Labels = (0, 0, 0)
HAR: Labels = (1, 0, 0)
SPAM: Labels = (0, 1, 0)
CRI: Labels = (0, 0, 1)
CRI_HAR: Labels = (1, 0, 1)


def lines(block: str) -> list[str]:
    return [ln.strip() for ln in block.strip().splitlines() if ln.strip()]


def paragraphs(block: str) -> list[str]:
    """One entry per paragraph (entries separated by a blank line), wrapped lines joined."""
    return [" ".join(p.split()) for p in block.strip().split("\n\n") if p.strip()]


# ---------------------------------------------------------------------------------------
# Crisis: the writer is in danger now.
# ---------------------------------------------------------------------------------------
CRISIS_IDEATION = lines("""
I want to kill myself tonight
i don't want to be alive anymore
I keep thinking about ending my life and the thoughts are getting louder
honestly i just want to die
I've been thinking about suicide every day this week
I don't see any reason to keep living
everyone would be better off if I was dead
I can't do this anymore. I want it all to end.
I'm done. I don't want to wake up tomorrow.
there's no point in me being here, i'm going to end it
the thoughts of killing myself won't stop tonight
I feel like the only way out is to die
i'm so close to ending it all right now
I wish I was dead
I want to disappear forever, not like a holiday, like actually not exist
part of me is planning how to end things and it scares me
suicidal again tonight and I can't shake it
I am suicidal and I don't know who else to tell
I don't think I'll make it through tonight
nobody would even notice if I killed myself
my family would be better off without me, I've made up my mind
I'm tired of fighting. I want to end my life.
life isn't worth living anymore and I'm ready to go
can't stop thinking about dying, it feels like the only option left
I just want the pain to stop, permanently
I'm going to kill myself. I'm sorry.
tonight feels like the night I finally do it
I have a plan and I don't feel safe with myself right now
i want to unalive myself
sewerslide thoughts again and they are loud today
I genuinely don't want to exist anymore
what's the point of living when every day feels like this. i want out
if tomorrow is anything like today I'm ending it
I'm scared of how much I want to die right now
please someone talk to me, i'm thinking about killing myself
I can't promise I'll be safe tonight
my head keeps telling me to end it and I'm starting to listen
i'm not going to be around much longer
I've decided I'm going to die this weekend
i hate being alive. i want to stop existing
I don't want to live anymore and I'm not being dramatic
dying feels easier than getting through another day of this
all i think about is not being here anymore
I keep looking up ways to die and I hate myself for it
I'm going to end my life after everyone goes to sleep
i think tonight is the night i kill myself
I'm so done with life, I'm going to end it soon
I really want to die right now and I don't know what to do
why should I stay alive when nothing ever changes. I'm going to end it
my mind keeps going back to suicide and I can't pull it away
I've stopped caring whether I survive the week
no one would miss me, so why not just end it
I want to go to sleep forever
I just want to be dead
I'm thinking about taking my own life
the only thing I can think about is killing myself
I have no reason to live anymore
i'm ready to die tbh
I want out of this life for good
I'm considering suicide seriously for the first time
I'm at the point where death feels like relief
I'm not okay, I keep thinking about ending everything
I feel like I'm a burden and I want to end it so everyone can move on
i can't see a future, i'm going to end things
suicidal thoughts are really bad right now, i'm scared of myself
I can't go on like this, I want to die
I've had enough of life, I'm ready to end it
i don't want to be here anymore, like on this earth
I'm going to end it all tonight
I give up on life
there's no way out for me except dying
I'm thinking of ending things for good
I want to end my life
I just want it to be over, all of it, forever
I'm done with living
""")

CRISIS_PASSIVE = lines("""
I wish I could go to sleep and never wake up
i hope i don't wake up tomorrow
I wouldn't mind if something happened to me tonight and I didn't come back
it would be so much easier if I just wasn't here
I don't care if I live or die anymore
if I died tomorrow it would honestly be a relief
I want to fall asleep and not wake up
wish i could just fade out of existence
every night I hope I won't wake up
I keep wishing I could just stop existing
sometimes I hope I don't survive the night
I'd be fine with never waking up again
I keep praying God takes me in my sleep
i wish i'd never been born and i wish i could stop being now
""")

CRISIS_SELFHARM = lines("""
I cut myself again last night
the urge to hurt myself is so strong right now
i relapsed and hurt myself tonight, i feel awful
I really want to cut right now, please help
I hurt myself again an hour ago and I can't stop shaking
self harm urges are through the roof tonight
i just want to hurt myself so i feel something
I broke my six month streak and cut tonight
sitting here trying so hard not to hurt myself
i did it again. i hurt myself. i'm so ashamed
the urges are back and I don't think I can fight them tonight
I keep hurting myself and I can't stop
I need to hurt myself, it's the only thing that helps right now
sh urges are bad rn
I want to punish myself so badly right now
cut again this morning and nobody knows
I'm about to hurt myself, I can't stop thinking about it
just relapsed on self harm after 40 days
the urge to cut hasn't gone away since last night and it's getting worse
I self harmed today for the first time in a year
i want to hurt myself really bad tonight
I can't stop thinking about cutting
I hurt myself on purpose last night and I don't know who to tell
I'm going to hurt myself if this feeling doesn't stop
trying not to self harm right now, it's so hard
I just cut myself and I'm scared
i've been hurting myself every night this week
I feel like I deserve to hurt, and I want to hurt myself
it's 3am and I just self harmed again
""")

CRISIS_DANGER = lines("""
my husband said he's going to kill me when he gets home and I believe him
my dad is drunk and hitting my mum, I'm hiding in my room
I'm scared to go home, my partner hurt me again last night
he locked me in the flat and took my phone, I'm on my old laptop
someone has been following me home every night and waiting outside my building
my ex is outside banging on the door and threatening me right now
I'm not safe at home right now
my boyfriend choked me last night and says next time will be worse
my stepdad threatened to hurt me if I tell anyone
there's a guy in my building who said he'll hurt me and he knows which flat is mine
I think my partner is going to seriously hurt me tonight
she hit me again and I'm locked in the bathroom
he's threatening me with a knife and I don't know what to do
my family said they'll hurt me if I come out to them and I have to go home tomorrow
my roommate keeps threatening me and I don't feel safe sleeping here
my husband hits me and I'm scared he'll kill me one day
I'm hiding from my dad, he said he's going to beat me when he finds me
someone broke into my house and is still outside, I'm terrified
my partner won't let me leave the house and said he'll hurt the kids if I try
he just threw me against the wall and left, I think he's coming back
I'm 15 and I'm scared to go home because of what my mom's boyfriend does
my ex found my new address and sent me a message saying he's coming tonight
I'm being forced to stay here and I'm scared they're going to hurt me
my brother beat me up again and said he'll do it every day
""")

CRISIS_GOODBYE = lines("""
this is my last post. thank you all for being kind to me
goodbye everyone, I won't be around anymore
I'm giving my cat to my sister tomorrow because I won't be here to look after her
thanks for everything guys, this is it for me
I just wanted to say goodbye before I go tonight
sorry for being a burden, you won't have to deal with me after tonight
deleting everything. I won't need any of it where I'm going. love you all
by the time anyone reads this I'll be gone
tell my partner I'm sorry. I can't keep going
final check in. I'm done trying.
I wrote letters to everyone. I just wanted to say thank you before the end
this will be my last check-in, goodbye
I'm saying goodbye now while I still can
you've all been great but I'm leaving for good tonight
I've made my peace with it. goodbye
""")

CRISIS_OTHER = lines("""
my friend just texted me that she's going to kill herself tonight, what do I do
my brother said goodbye and isn't answering his phone, I'm scared he'll end his life
my roommate is talking about ending her life right now and I'm scared
my girlfriend just told me she wants to die tonight and she's alone, please help
""")

CRISIS_ANGRY = lines("""
fuck all of you, I'm ending it tonight
you all made this worse, I hope you're happy when I'm dead tomorrow
none of you idiots ever cared, so I'm going to kill myself
screw this place and screw you, I'm done living
""")

# Composed crisis: context + core + (time or plea).
CRISIS_CONTEXT = lines("""
it's been a terrible month and
after the fight with my mum tonight
since I lost my job
ever since she left
I've tried everything, therapy, meds, all of it, and
I know I should call someone but
I haven't told anyone this but
sorry to dump this here but
I don't even know why I'm posting but
I've been holding it together all week and now
nobody at home knows this but
I can't talk to my family about it and
everything went wrong again today and
I'm shaking while I type this,
""")
CRISIS_CORE = lines("""
I want to die
I don't want to be alive anymore
I keep thinking about killing myself
I'm going to end my life
the urge to hurt myself is really strong
I want to hurt myself
I'm planning to end it
I can't keep myself safe
I just want to not exist
I feel like ending it all
I cut myself again
I'm having suicidal thoughts and they won't stop
I don't see a way to keep going
I'm thinking about suicide
I'm scared I'm going to hurt myself
""")
CRISIS_TAIL = lines("""
tonight
right now
and I'm scared
please help
I don't know what to do
I'm sorry
this time I mean it
I'm alone
and I can't stop crying
""")

# ---------------------------------------------------------------------------------------
# Harassment: aimed at another person or group.
# ---------------------------------------------------------------------------------------
HAR_INSULT = lines("""
you're a pathetic loser and everyone here knows it
shut up you stupid bitch
nobody asked for your opinion, idiot
you are the dumbest person on this board
what a worthless piece of shit you are
go cry somewhere else, attention whore
you're disgusting, nobody will ever love you
lol imagine being this ugly and this stupid
you absolute moron, read before you post
fuck you and your stupid goals
nobody here likes you, just leave
you're a fat useless waste of space
your posts are cancer, get lost
stop whining you spineless little shit
you're a fraud and a liar and everyone can see it
typical retard post
you're such a clown, pathetic
cry me a river you pathetic snowflake
such a dumb cunt
you're a joke. a sad joke.
get a life loser
you are literally the worst person here, shut up forever
you make me sick, you freak
your parents must be so ashamed of you
everyone is laughing at you behind your back, weirdo
you're an ugly whore
what a braindead take, are you stupid or just pretending
nobody wants to read your whiny garbage
you're trash and you always will be
sit down and shut up, you ignorant prick
you're too dumb to even have a mental illness
go fuck yourself
you're a disgusting pig
you dumb fuck, that's not what I said
you are a waste of oxygen
you sound like a psycho, get help or get out
this guy is a total idiot lmao look at him
you're a crybaby and a failure
honestly you deserve everything bad that happens to you
what a stupid fat cow
you little bitch, say it to my face
you're the most annoying person I've ever seen, piss off
loser. absolute loser.
fuck off you twat
you're a useless piece of crap
""")

HAR_THREAT = lines("""
I know where you live and I'm coming for you
say that again and I'll break your face
I'm going to find you and make you regret this
watch your back, I'll be waiting for you
I will hurt you and your family
i'll beat the shit out of you
someone should shoot you
I'm going to post your real name and address everywhere
you'd better sleep with one eye open
I'll kill you if you reply to me again
i hope someone beats you to death
I hope you get cancer and die
I'm sending your screenshots to your boss, your life is over
keep talking and see what happens to you
I'll make sure you never feel safe again
I found your instagram, you're done
I'm going to hurt you so bad
I'll find out where you work and wait for you
one more word and I'll smash your head in
i swear i'll come round and kill you
""")

HAR_INCITE = lines("""
kys
go kill yourself
just kill yourself already, nobody would miss you
do everyone a favour and end it
why don't you just die
you should hurt yourself, you deserve it
if I were you I'd have killed myself by now
go cut yourself, attention seeker
the world would be better without you, so do it
end yourself lmao
shame you didn't finish the job
just die already
nobody would care if you killed yourself, so go ahead
you should just end it, you're a burden to everyone
go die in a hole
kill urself loser
hope you relapse and die
do us all a favor and disappear permanently
i'd kill myself too if I were you
no one will miss you, go on then
""")

HAR_HATE = lines("""
go back to your own country
people like you shouldn't be allowed to have kids
gays are disgusting and should be locked up
trans people are mentally ill freaks
women are too stupid to be on this board
fucking faggot
muslims are all terrorists
no one wants your kind here
disabled people are a drain, you should all be put down
immigrants are vermin
you people are animals
shut up tranny
jews like you ruin everything
fat people like you are a disgrace
autistic people are retards
go back to the kitchen where you belong
""")

HAR_SEXUAL = lines("""
send me nudes or I'll tell everyone what you said
nice pics, bet you're a slut irl
show me your body and maybe I'll stop
I'm going to rape you
you'd be hotter if you shut up and took your clothes off
dm me your pics you little slut
i know you want it, stop pretending
""")

HAR_MOCK = lines("""
cry more, nobody cares about your depression
depression isn't real, you're just lazy and weak
lol another sob story, attention seeker
your anxiety is fake, stop faking it for sympathy
imagine needing a support group, pathetic
no wonder your family left you
you're the reason your wife left
enjoy your relapse, junkie
once an addict always a loser
nobody believes your sad little stories
stop playing the victim, you pathetic whiner
your "trauma" is a joke
you deserve to be alone, look at you
haha you failed again, what a surprise
""")

HAR_TARGET = lines("""
you're a
you are such a
what a
honestly you're a
stfu you
lol you're a
shut up you
nobody likes you, you
get lost you
""")
HAR_ADJ = lines("""
stupid
pathetic
worthless
disgusting
ugly
useless
braindead
fat
dumb
miserable
""")
HAR_NOUN = lines("""
idiot
loser
bitch
moron
freak
piece of shit
waste of space
clown
cunt
retard
dickhead
asshole
""")

# ---------------------------------------------------------------------------------------
# Spam: ads, scams, pill pushers, link farms.
# ---------------------------------------------------------------------------------------
SPAM_HAND = lines("""
DM me for pills, no prescription needed 💊
buy xanax, oxy and adderall online, discreet shipping, whatsapp +1 555 201 3344
cheap viagra cialis 80% off at www.meds-direct-rx.biz
need something to take the edge off? I can sort you out, message me on telegram
best online pharmacy, no rx required, fast delivery to all countries
anxiety meds without a doctor visit, click here http://calm-rx.top/order
get valium delivered tomorrow, no questions asked
weed gummies and shrooms shipped anywhere, dm for the menu
selling benzos and painkillers, legit vendor, fast reply
I made $4,000 in one week with this crypto bot, ask me how
double your bitcoin in 24 hours guaranteed, send to the wallet in my bio
join my trading signals group, 300% returns, link in bio
FREE ETH airdrop, claim now before it ends: eth-gift.xyz
I invested with Mrs Karen Lee and she changed my life, contact her on whatsapp +44 7700 900123
best essay writing service, cheap, fast, reliable http://essays-now.net
visit https://replica-watch-shop.co for cheap designer watches
SEO services, get your website to page 1 of google, message me
I earn $300 a day from home working 2 hours, message me to learn how
moms are making thousands a month with this one simple trick
hiring now! no experience needed, easy money, dm me
get 10k followers for $5 at followerboost.shop
follow me on insta for daily motivation posts @grind.daily.vibes
subscribe to my youtube channel pls!!! link below
check out my onlyfans 🔥 link in bio
hot singles in your area want to meet you tonight
lonely? sexy girls are waiting to chat with you now
your account will be suspended, verify your password here: bbs-login-secure.com
congratulations! you've won a $1000 gift card, claim now
I am a lawyer holding an inheritance of $4.5 million for you, reply with your bank details
loan approved instantly, bad credit ok, apply today at quickcash-loans.biz
my coaching program cures depression in 7 days, 50% off today only!!
tired of anxiety? this supplement cured me in a week, buy it at calmzen.store
DM me for the depression cure doctors don't want you to know about
join our discord for free nitro: discord-gift.ru
limited offer!!! cheap meds cheap meds cheap meds
buy now buy now best prices www.bestdeal.top www.bestdeal.top
Make money fast!!! Work from home!!! Visit my profile!!!
earn passive income with forex, 1000% guaranteed, whatsapp me
100% natural CBD oil cures anxiety, insomnia and pain, order now
Click here to claim your free iPhone 15 👉 bit.ly/free-ip15
I sell Instagram accounts with 50k followers, cheap, dm
casino bonus 500 free spins no deposit, sign up at spinwin.club
Get your ex back with a powerful love spell, email drbaba@spells-work.com
unlock the secret to instant happiness, only $19.99, link in bio
want to lose 20 pounds in 2 weeks? message me for the plan
watch free movies hd online at moviez4free.site
Buy cheap tramadol online overnight delivery
earn free crypto just by signing up, use my referral code WIN500
cheap flights cheap hotels cheap everything at travelbargain.io
need a loan? fast approval, no credit check, text 07700 900456
join the fastest growing network marketing team, be your own boss!
top quality fake IDs and passports, shipped discreetly
Recover your lost crypto! Contact hacker_recovery on telegram
I'm giving away $500 to the first 10 people who DM me
""")

SPAM_PRODUCT = lines("""
cheap xanax
oxycodone without prescription
discount viagra
free bitcoin
crypto signals
CBD gummies
replica handbags
instant payday loans
real followers
weight loss pills
adderall for studying
Ozempic without a prescription
""")
SPAM_OFFER = lines("""
70% off today only
best prices guaranteed
fast discreet delivery
no prescription needed
limited time offer
100% legit vendor
guaranteed results
shipping worldwide
""")
SPAM_CONTACT = lines("""
dm me
whatsapp +1 555 019 2834
message me on telegram @fastmeds
click the link in my bio
visit www.rx-express.top
order at http://cheap-deals.shop/buy
email sales@best-offers.biz
text 0800 123 4567
go to megadeals.xyz now
""")

# ---------------------------------------------------------------------------------------
# Hard negatives: sad, angry, sweary, recovering, supportive, everyday. No label.
# ---------------------------------------------------------------------------------------
VENT_HAND = lines("""
I'm so tired of everything lately, work, people, all of it
today was awful. cried in the car for 20 minutes before going in
I feel like a failure. everyone my age has their life together
nothing feels fun anymore, even the games I used to love
I've been in bed all day and I hate that I can't get up
my brain is so loud tonight, can't switch off
feeling really low and lonely this weekend
honestly I hate my life right now, but I know it's the depression talking
I'm not suicidal or anything, just exhausted and sad
some days I wonder what the point of all this is, then I make tea and carry on
I feel numb. not sad, not happy, just nothing
I'm so sick of feeling like this
everything I touch seems to fall apart
I messed up at work again and I just want to crawl into a hole
i could scream. nobody listens to me at home
i feel invisible at school
I'm drowning in assignments and I can't keep up
it's been a really dark week but I'm still here, still trying
I feel like a burden to my friends sometimes
feeling hopeless about ever finding a job
I hate myself for how I reacted today
why does everything have to be so hard
cried myself to sleep again
I'm tired of pretending I'm okay at work
i just feel empty and i don't know why
dead inside today lol
I feel broken and I don't know how to fix it
panic attack on the bus, so embarrassing, my hands are still shaking
I can't stop overthinking every conversation I had today
I'm so lonely it aches
my mood has been in the gutter since Christmas
I want to run away to a cabin for a month and talk to nobody
does anyone else just feel heavy all the time
I'm so angry at myself for letting it get this bad
I don't want to get out of bed. not in a dangerous way, just so tired
another sunday, another wave of dread about monday
I keep cancelling plans and then feeling awful about it
I can't remember the last time I felt genuinely happy
I'm stuck. everything feels grey
I just want to disappear for a week and sleep
my anxiety is through the roof about tomorrow's interview
I feel like I'm wasting my life
nobody texted me on my birthday and it hurts more than I expected
work is crushing me and my boss doesn't care
I'm so done with this week
I'm scared I'll always feel like this
had to leave the supermarket because of a panic attack
I feel like I'm screaming underwater
this loneliness is unbearable some nights, but I'm holding on
I hate how much I hate myself sometimes
my head is a mess and I don't know where to start
I'm exhausted from being the strong one all the time
therapy today was brutal, dug up a lot of old stuff
I feel so ugly and I hate looking in mirrors
I'm falling behind on everything and drowning in guilt
my partner and I had a huge fight and I feel sick about it
i feel like the world is moving on without me
I'm really struggling today and I don't even know why
I ruined dinner, I ruin everything lol
I wish I could turn my brain off for a bit
I'm tired of being tired
I'm having one of those days where everything is too much
I can't go on like this, something has to change at work
I've had enough of this job, I'm handing in my notice
I give up on dating, honestly
I'm done with people for today
I just want this week to be over
I don't want to be here, this party is awful, going home soon
I want to end this friendship but I don't know how
I'm so over everything today
it hurts that she didn't even call me
I was scared walking home in the dark but I'm home safe now
I want to quit everything and move to the sea
sometimes I feel like giving up on my degree
""")

VENT_NEGATION = lines("""
I'm not going to hurt myself, I just need to vent
don't worry, not suicidal, just really sad about the breakup
my therapist asked if I've had thoughts of suicide and I could honestly say no
I don't want to die, I just want this week to be over
no thoughts of self harm, just tired and flat
I'm safe, I promise, I just needed to get this off my chest
to be clear I'm not in danger, I'm just sad
I'm not going to do anything stupid, I just feel rubbish
I don't want to hurt myself anymore and I haven't in ages, just a rough day
I want to live, I just don't know how to make life feel better
not having any dark thoughts, just need someone to talk to
this isn't a crisis post, I'm just grumpy and sad
""")

VENT_SITUATION = lines("""
my boss yelled at me in front of everyone today
the landlord is raising the rent again
I failed my driving test for the third time
my best friend cancelled on me again
I didn't get the job after four interviews
my parents are fighting again
I got a bad grade on the essay I worked so hard on
the doctor's appointment got moved to next month
my ex posted photos with her new boyfriend
I spent the whole day alone in my flat
my car broke down on the motorway
the kids were screaming all afternoon
I haven't slept properly in a week
I had to go back on sick leave
my sister said something really hurtful at dinner
I was left out of the group chat plans again
I spilled coffee on my laptop before a deadline
another rejection email came in this morning
my therapist is going on leave for a month
the bills came in and I can't cover all of them
""")
VENT_FEELING = lines("""
and I feel like absolute garbage
and I'm so fucking tired of it
and I just want to hide under the duvet
and honestly I feel worthless
and now I can't stop crying
and I'm so angry I could scream
and I feel like nothing ever goes right for me
and my chest has been tight all day
and I feel completely alone
and I'm so sick of this shit
and I feel hopeless about it
and I'm exhausted and numb
and it's killing me
and I hate everything right now
and I feel like such a failure
""")
VENT_COPE = lines("""
going to make tea and watch something dumb
I'll try again tomorrow I guess
thanks for listening
just needed to vent somewhere
gonna take the dog for a walk
heading to bed early
I'll talk to my therapist about it on thursday
texted my friend, waiting to hear back
anyway, that's my rant
at least the cat loves me
I'll be ok, just a bad day
""")

SWEAR = lines("""
this fucking week man, so tired
fuck anxiety, seriously
holy shit I actually went to the gym
damn, that hit hard. thanks for sharing
well that was a shit day
I'm so fucking proud of you!!
fuck yes, 30 days sober
my landlord is being a total dick about the deposit
the bus was late again, fml
shit happens, tomorrow's another day
I'm pissed off at myself for skipping therapy
what the fuck is wrong with my sleep schedule lol
screw this weather
f*ck mondays
bloody hell what a day
this medication makes me feel like crap
my brain is an asshole sometimes
you're a fucking legend for posting this
damn right you deserve a break
the stupid insurance company denied my claim again
I was such an idiot to think he'd change
fuck, I forgot my appointment again
holy crap this thread made me cry
depression is such bullshit
shit, I needed to hear that today
my job is a shitshow but I'm coping
fucking hell, my anxiety is wild today
goddamn I'm tired
what a crap night's sleep
ugh my neighbours are so fucking loud
sorry for swearing but this week has been a fucking nightmare
hell yeah, you did it!
that's some bullshit, you deserved better than that
i'm so pissed, they lost my prescription again
dammit, missed my bus
this is so fucked up, I'm sorry that happened to you
my ex was a prick to me, glad that's over
capitalism is killing us all lol
fuck cancer. fuck it so much.
no fucking way, congrats!!!
the politicians are idiots, nothing ever changes
""")

RECOVERY_HAND = lines("""
I was so low last year I self-harmed, 2 years clean today
five years ago I tried to kill myself. today I'm getting married
I used to cut every night. now it's been 400 days
when I was 16 I wanted to die every single day. it gets better, I promise
I survived an attempt in 2019 and I'm so glad I'm still here
I used to think everyone would be better off without me. I was wrong
my self harm scars are fading and I'm learning to be okay with them
back then I didn't want to live. therapy and meds changed that
a year ago I was in hospital after trying to end it. today I ran 5k
I haven't hurt myself in 18 months. proud of me
I've been suicidal in the past, and what helped me most was talking to someone
the urges still come sometimes but they pass, it's been 9 months
I was in a really dark place after my divorce and thought about suicide. I'm okay now
my scars remind me how far I've come
6 months self harm free today!!
used to wish I'd never wake up. these days I wake up looking forward to coffee
my old journal from when I was suicidal is hard to read, but I'm glad I kept it
I survived my darkest year and I'm still here
recovered from self harm after a decade, happy to answer questions
I was in an abusive relationship for 4 years. I got out in 2021
my ex used to threaten me. I'm safe now, he's gone and there's a restraining order
I haven't had suicidal thoughts in over a year and I wanted to share that
1 year since my last relapse with self harm, feeling hopeful
the version of me who wanted to die would be amazed by my life now
I made it through another anniversary of my attempt. getting easier every year
my therapist and I talked about my past self harm today, it was hard but good
when I was a teenager I hurt myself a lot. I'm 34 now and doing well
my son asked about my scars and I told him I was very sad once and got help
I spent years thinking about suicide. getting diagnosed with bipolar and treated saved me
I still remember the night I almost gave up. glad I called the crisis line instead
three years free from self harm, celebrating with cake
I used to believe the world would be better without me. now I volunteer on a helpline
my last suicide attempt was 8 years ago. I'm a nurse now
after leaving him I finally feel safe in my own home
I'm a survivor of domestic abuse and I'm doing okay these days
""")
RECOVERY_PAST = lines("""
when I was at uni
a few years ago
back in 2018
last winter
in my twenties
before I got help
during my divorce
as a teenager
two years ago
when my dad died
""")
RECOVERY_EVENT = lines("""
I self harmed almost every day
I was suicidal for months
I attempted suicide
I wanted to die
I thought about killing myself all the time
I hurt myself to cope
I didn't think I'd survive the year
I was in a psych ward after an attempt
I felt like ending my life was the only option
I cut myself to get through the nights
I wanted to kill myself
I planned to end my life
I couldn't see a reason to live
I was hurting myself in secret
I tried to take my own life
I wished I would die in my sleep
suicide felt like the only way out
I hated being alive
I had constant urges to hurt myself
I nearly didn't make it
I said goodbye to everyone and meant it
I was sure I'd be dead by thirty
""")
RECOVERY_NOW = lines("""
today I'm 500 days clean and happy
now I have a job I love and a dog
and now I can say I'm genuinely glad to be alive
these days I'm doing so much better
and I'm still here, still healing
now I help run a peer group
and now my life is calm and good
it's been 3 years and I'm okay
now I use my coping plan and it works
and looking back, I'm proud I held on
""")

SUPPORT_HAND = lines("""
please don't hurt yourself, we're here
if you're thinking about killing yourself, please call a crisis line. you matter
you don't deserve to be hurt, I'm so sorry he did that to you
hey, are you safe right now? if you're having thoughts of suicide you can text a crisis line
I hear you. wanting to die is a symptom, not the truth. please reach out tonight
sending love. the urge to self harm passes, try holding an ice cube or calling someone
you are not a burden. please stay
nobody deserves to be called names like that, please report them
I've been where you are. please don't give up
please talk to someone before you do anything, you can DM me too
it's okay to not be okay. we're all here for you
if you ever feel like ending it, message the mods or call 988
thank you for telling us. that took courage. can you reach a crisis line tonight?
suicidal thoughts lie to you. stay, please
I'm so glad you're still here
you're not weak for struggling
hugs. hold on, morning will come
if he threatens you again please call the police, your safety comes first
you don't have to kill yourself to make the pain stop, there are people who can help
please please don't act on those thoughts tonight, we care about you
I know the urge to cut feels huge, but you've beaten it before
sounds like you're in a lot of pain. would you be willing to call someone now?
you matter so much more than you think
don't listen to the people telling you to kill yourself, they're cruel and wrong
proud of you for not hurting yourself tonight
I had suicidal thoughts too, and they did pass. please hold on
it's not your fault he hurt you
reach out to the Samaritans on 116 123 if you need to talk, they're lovely
you're safe here, take all the time you need
nobody here thinks you're a burden
if you feel unsafe at home, there are domestic violence lines that can help you plan
staying alive is enough for today
please don't delete your account, we'd miss you
I'm so sorry people called you those horrible things
hey friend, checking in, how are you holding up today?
""")
SUPPORT_OPEN = lines("""
hey,
oh friend,
I'm so sorry you're going through this.
sending you a big hug.
I hear you.
thank you for sharing this.
that sounds so hard.
""")
SUPPORT_MID = lines("""
please don't hurt yourself
if you're thinking about suicide, please call a crisis line
you don't deserve to feel like this
the urge to self harm does pass, even when it doesn't feel like it
are you safe right now?
wanting to die is your pain talking, not the truth
you're not a burden
please reach out to someone you trust tonight
it's okay to ask for help
we want you here
""")
SUPPORT_CLOSE = lines("""
we're here for you 💙
you can DM me anytime
one hour at a time
take care of yourself tonight
proud of you for posting
keep us updated if you can
you've got this
""")

MEDICATION = lines("""
started sertraline 50mg last week, the nausea is rough but getting better
does anyone else get really vivid dreams on mirtazapine?
my psychiatrist upped my lithium, blood test next week
forgot my meds this morning and I can feel it
anyone tried coming off venlafaxine? the brain zaps are horrible
the pharmacy ran out of my prescription again, so annoying
took my meds, drank water, went outside. small wins
is it normal to feel worse in the first two weeks on an SSRI?
my doctor prescribed propranolol for panic attacks
I hate that I need pills to function but they really do help
the methadone clinic was packed today
naltrexone is helping a lot with the cravings
weaning off quetiapine slowly with my doctor's help
my new antidepressant makes me so sleepy
does anyone take their meds at night instead of the morning?
set an alarm for my pills, finally remembering every day
the side effects of this medication are making me miserable
I'm scared to start medication, any experiences?
increased to 100mg today, wish me luck
got my ADHD meds sorted, feel like a different person
my GP wants me to try fluoxetine
weight gain from meds is getting me down
the pharmacist was really kind when I picked up my pills today
switched from citalopram to escitalopram, so far so good
anyone else's meds stop working after a few years?
melatonin helps me sleep a bit better
three months on meds and I finally feel like myself
""")

RELAPSE = lines("""
relapsed after 90 days sober. starting over tomorrow
I drank last night after 6 months. I feel like shit but I'm back on day 1
smoked again after two weeks, disappointed but not giving up
binged again tonight. tomorrow is a new day
relapse is part of recovery, my sponsor reminded me
slipped up with gambling this weekend, told my partner about it
i used again. called my sponsor right after
I broke no contact with my ex. ugh.
had a drink at the wedding. not beating myself up, back on track
day 1 again. this time I'm going to a meeting every day
relapsed on weed, feeling like a failure but I'm not quitting quitting
I vaped again after a month, annoyed with myself
my relapse taught me that stress is my biggest trigger
I went back to the casino. I'm ashamed but I'm telling you all
counter reset to zero on my sobriety app, sigh
I caved and bought a bottle. poured most of it away
""")

GRIEF = lines("""
my dad died last month and I still reach for my phone to call him
lost my dog today. the house is so quiet
it's been a year since my brother took his own life. missing him so much today
grief comes in waves, today was a big one
the funeral is on friday and I don't know what to say
my best friend died by suicide last spring and I keep wondering if I missed the signs
anniversary of mum's death today. lit a candle for her
I miss her so much it physically hurts
my grandmother passed away this morning
I wish I could have one more conversation with him
my mum is dying of cancer and I feel so helpless
two years since we lost our baby. still heavy
my uncle killed himself when I was a kid and I think about him a lot
I keep dreaming about my dad since he died
the first christmas without her is going to be hard
my cat died and people keep saying it's just a cat
grief group tonight helped, it's good to be around people who get it
we scattered his ashes today at the beach he loved
I lost a friend to an overdose last week, I'm heartbroken
sometimes I still set the table for two
""")

NEWS = lines("""
new report says suicide rates among middle aged men are rising
interesting article on self harm in teenagers and social media
the WHO estimates around 700,000 people die by suicide every year
september is suicide prevention month, our group is doing a sponsored walk
just finished a book about a woman who survived a suicide attempt, really moving
this documentary on domestic violence was hard to watch but important
a study found that exercise reduces depression symptoms as much as some meds
my uni ran mental health first aid training, we learned to ask about suicide directly
is it true that asking someone if they're suicidal doesn't put the idea in their head?
the crisis line got more funding in the new budget
there's a debate about how TV shows portray suicide
reading about the history of psychiatric hospitals, grim stuff
the news said domestic abuse calls went up during lockdown
researchers say loneliness is as harmful as smoking
our local paper did a piece on men's mental health and suicide
my psychology lecture today was about self harm and stigma
world mental health day is next week, any plans?
the new guidelines for schools say staff should talk openly about self harm
podcast episode on suicide prevention in farming communities was really good
statistics show suicide is the biggest killer of men under 45 in the UK
""")

CHECKIN_GOAL = lines("""
day 14 of my walking goal
week 3 of no smoking
day 30 sober
meditation streak: 9 days
journaling check-in
reading goal
gym check-in
sleep goal update
water goal
day 5 of getting up before 8
no-spend week, day 4
daily gratitude list
""")
CHECKIN_PROGRESS = lines("""
did it, 25 minutes today
done, even though it was raining
managed it but only just
missed yesterday, back on it today
smashed it, felt great after
half done, will finish tonight
got it done first thing this morning
cravings were bad after lunch but I held on
""")
CHECKIN_MOOD = lines("""
mood 6/10
mood: 4/10, tired but okay
mood is decent today 🙂
feeling pretty good
mood meh
anxious but coping
feeling proud
low energy but I'm here
""")
CHECKIN_HAND = lines("""
morning all, coffee in hand ☕
did my breathing exercises twice today
went to my first group session, nervous but glad I did
anyone else up? can't sleep
goal: read 10 pages a day. today: 12 pages
streak broken but starting again tomorrow
hi everyone, new here. nice to meet you all
what's everyone's go-to comfort food?
checking in: slept 7 hours, ate breakfast, went for a walk
made it to therapy today
just popping in to say hi
how is everyone doing tonight?
first day back at work after sick leave, went okay
my accountability partner cheered me on today, made my day
did the dishes finally, small win
quick check-in before bed, today was fine
""")

IDIOM = lines("""
this exam is killing me
I could kill for a pizza right now
my feet are killing me after that hike
I'm dying of laughter at this thread 😂
you absolutely killed it at your presentation!
my boss is going to murder me, I'm late again lol
I nearly died when I saw the price
this heat is going to be the death of me
the plot twist killed me
I'd die for a day off
dead tired after the night shift
my phone died again
that joke killed me 💀
I'm so dead if mum finds out I skipped class lol
kill me now, the meeting got moved to 8am
died to the final boss twenty times lol
finally killed the dragon in my game
these shoes are to die for
I'm dying to know how the interview went
my plants are dying, any tips?
that workout destroyed me
I'm going to strangle my printer
my laptop is on its last legs
we murdered that pub quiz
this cold is killing me, sneezing nonstop
ugh, I'm dead, that meme
the suspense is killing me, update us!
I'll kill you if you spoil the finale 😂
traffic was murder this morning
I'm knackered, absolutely dead on my feet
""")

QUOTED_ABUSE = lines("""
someone in chat called me a loser and told me to kys. I reported them.
my ex used to say nobody would ever love me. I still hear it
a guy at work called me retarded and I didn't know what to say
got a DM telling me to go kill myself, mods can you check?
my brother always tells me I'm fat and useless and it gets to me
how do you deal with people who call you attention seeking?
someone posted 'go back to your country' under my post and it really hurt
my dad used to call me stupid every day. I'm unlearning it
kids at school called me a freak for years
my manager said I was pathetic for needing time off
when people say 'just cheer up' it makes me feel worse
an online troll told me I should die and it shook me
I was called a slut at school and it still hurts
my mum said I'm a waste of space when she was angry. I know she didn't mean it but
""")

SELF_DEPRECATE = lines("""
I'm such an idiot, I forgot my therapy appointment
ugh I'm so stupid sometimes
I'm a mess lol
tried to cook, burned the rice. I'm useless in the kitchen
I'm the worst at replying to messages, sorry guys
I'm such a loser, I fell asleep at 8pm on a friday lol
me being a dumbass again: locked myself out
I look like a zombie today haha
my brain is mush, I'm a walking disaster
what a clown I am, wore my shirt inside out all day
""")

BANTER = lines("""
shut up you're amazing
you absolute legend
you cheeky sod, that made me laugh
lol you nerd, I love it
you're ridiculous and I love you
stop it you're making me cry happy tears
you're a menace 😂 in the best way
ok genius, what's your secret
you big softie
you're a beast, 10k steps every day!
dork. proud of you though
you madman, you actually did it!
""")

RESOURCE = lines("""
this page on grounding techniques helped me: https://www.nhs.uk/mental-health/self-help/
the samaritans website has a good list of self help apps, samaritans.org
I found a free CBT workbook online, happy to share the link
our meeting is on zoom at 7pm, the link is in the pinned post
check out the sleep hygiene guide on the resources board
I use headspace for meditation, the free version is fine
good podcast on anxiety if anyone's interested, it's called the anxiety coaches podcast
anyone want to join a walking group? message me if you're near Leeds
DM me if you want to talk, I'm around tonight
text HOME to 741741 if you're in the US and need to talk to someone
the crisis text line is free and they were so kind to me
mind.org.uk has really clear info about different medications
if you're in Australia, Lifeline is 13 11 14
there's a free course on self compassion at the library, I signed up
my therapist recommended the book Feeling Good, anyone read it?
you can message me privately if you want to talk about it
the AA meeting list for our area is on their website
I made a playlist of calming music, want the link?
""")

SUPPORTING_OTHERS = lines("""
how do I support a friend who self harms?
my partner has depression and I don't know how to help
my teen told me she had suicidal thoughts last year. how do I talk to her about it?
what do you say to someone who says they're fine but clearly isn't?
my friend is going through a hard time, any advice on what to say?
how do I ask someone if they're thinking about suicide without making it worse?
my mum is drinking again and I'm worried about her
my son won't talk to me about his anxiety, tips?
is it okay to tell a friend's parents that she's struggling?
how do you look after yourself when you're supporting someone with depression?
""")

EVERYDAY = lines("""
what's everyone watching these days?
it's snowing here!
made soup, feeling cosy
anyone into board games?
the sunset tonight was gorgeous
my cat just knocked my tea over lol
recommend me a good book please
rainy day, staying in with a blanket
what's your favourite way to relax?
just got back from a walk by the river
happy friday everyone!
tried a new recipe, it was actually good
who else is a night owl?
my garden tomatoes are finally ripe
""")


# ---------------------------------------------------------------------------------------
# Second pass: more phrasings, aimed at the mistakes the first model made on its
# validation split (generic "I can't", "again", URLs, "contact", "fuck <thing>").
# ---------------------------------------------------------------------------------------
CRISIS_MORE = lines("""
i can't take it anymore, i want to die
I don't want to live
I'm so tired of living
i've been planning my suicide and i'm scared
please help, I want to kill myself
I want to die so badly
idk how much longer i can keep living like this, i want it to stop for good
I'm going to end it, I've had enough
my life is over and I'm going to end it
I wish I could die
I'm so done. I want to be dead.
i'm scared i'll do something to myself tonight
I might not be here tomorrow
I've been having thoughts of killing myself again
nobody cares if I live or die so I'm going to stop living
I feel like killing myself
the voice in my head says I should die and tonight I agree
i want to die i want to die i want to die
there's nothing left for me, I'm ready to end my life
I'm going to kill myself when I get home
im seriously thinking about ending my life rn
I don't want to be here tomorrow
honestly thinking about just ending it all
I've lost the will to live and I'm scared of what I'll do
I'm really not safe right now
i need help now, i'm going to hurt myself
I want to hurt myself so bad right now
thinking about self harming tonight
cutting again, can't stop
I keep wanting to hurt myself and it's getting harder to say no
I feel like hurting myself tonight
the self harm urges won't go away
I've been hurting myself again and I'm scared
just hurt myself, feel numb
I'm scared for my life, he said he'll kill me
my dad is going to hurt me when he gets home
someone is threatening to hurt me and I don't know where to go
i'm being abused at home and it happened again today
my partner hurts me and I'm scared to leave
I'm not safe, he's here and he's angry
goodbye world
this is goodbye. I love you all
I won't be here tomorrow, thank you for trying
""")

NEGATION_MORE = lines("""
I'm not going to kill myself, I promise, I'm just so angry
I'm not suicidal, I just hate my job
I don't want to kill myself, I want my life to change
no I'm not going to hurt myself, I just wanted to say it out loud
I haven't hurt myself and I'm not going to, just sad
not in crisis, just lonely tonight
I'm not thinking about suicide, don't worry, just venting
I would never end my life, my kids need me, but I'm exhausted
I don't feel like hurting myself today, which is a win
the urge to self harm didn't come today, first time in weeks
I'm safe tonight, made a plan with my therapist for bad nights
I was worried I'd feel like hurting myself after the news, but I'm okay
""")

BYE_NEGATIVE = lines("""
goodbye everyone, see you at the sunday circle
I'm off for the night, bye all
last post before my holiday, see you in two weeks!
I won't be around much this month, exams, but I'll check in
logging off, thanks for the chat everyone
this is my last day at this job, so weird
saying goodbye to my old flat today, bittersweet
I'm leaving the group chat, too many notifications lol
deleting instagram for my mental health, see you here instead
""")

VENT_MORE = lines("""
I'm drowning in work and I can't keep up with anything
I can't do this anymore, this job is too much, I need a new one
I'm so done with this semester
my life is a mess but I'm working on it
I hurt my back at work and I'm stuck on the sofa
cut my finger chopping onions, ouch
I'm cutting back on coffee and I'm so grumpy
I finally cut off my toxic friend and I feel weird about it
got a haircut and I hate it lol
painkillers for my migraine aren't doing much
killing time at the airport, flight delayed
end of the week finally, I'm wiped
I want to end the relationship but I'm scared of being alone
goodbye for now, off to bed
taking a break from the board for a while, see you all in a month
last post of the day, night all
won't be around this weekend, going camping
I'm tired, just so tired, but I'm okay
I feel like giving up on this diet
I just want to sleep for a year
I'm so over this cold
I'm sad again today, it comes and goes
failed my exam again, so frustrated
my cat threw up on the rug again
my mum is drinking again and I'm worried about her
my anxiety is back again, ugh
everything hurts today, my whole body aches from the flu
it hurts when people ignore me
I'm hopeless at cooking lol
I feel like I'm disappearing at work, nobody notices me
I'm so low today, staying in bed with a film
I'm not okay today, but I will be
feeling really down, going to call my mum
I'm struggling to find a reason to get up early for this job
i feel worthless when my dad criticises me
sometimes I hate being alive in this economy lol
my heart is broken, she left me last night
I keep crying at everything today, hormones maybe
I'm so scared of my exam results
I'm scared of the dentist tomorrow
my partner and I broke up and I can't stop crying
I feel so alone since I moved cities
I'm done trying to please everyone
I'm at the end of my rope with this landlord
I don't know how much longer I can stand this commute
can't wait for this week to end
some nights the loneliness is so heavy
I'm bone tired and fed up
I've been feeling hopeless lately, booked a GP appointment
this depression is kicking my ass but I'm still showing up
""")

SWEAR_MORE = lines("""
fuck depression
fuck this disease
fuck my brain today
fuck the bus company honestly
fuck yeah, you did it!
fuck it, I'm going to bed
fuck off anxiety, not today lol
fucking insomnia again
you're fucking brilliant, you know that?
you did a damn good job today
shit, that's rough, I'm sorry mate
bloody anxiety won't let me sleep
this shitty weather is not helping my mood
I'm so fucking tired of being tired
fuck everything about mondays
well, fuck. the appointment is cancelled again
stupid brain, stupid body, stupid week
my boss is a prick but the job pays the bills
the system is fucked, waited 9 months for therapy
ptsd is a bitch
life's a bitch sometimes, hang in there
""")

SPAM_MORE = lines("""
message me for an amazing opportunity to change your life
I can help you get rich in 30 days, ask me how
hey dear, I saw your profile, you look nice, text me on whatsapp
are you interested in earning extra money from home?
free consultation with our licensed therapists, 50% off your first month at mindcare-online.co
I'm a certified life coach, book a session at my site and get 20% off
buy followers likes and views, cheapest prices on the market
my uncle's company is hiring, $50/hr, no interview, contact me
work from home opportunity!!! dm me for details
get rich quick with my ebook, only $9.99
beautiful women want to meet you tonight, sign up free
I can get you any pills you need, just ask
cheap cigarettes and vapes delivered, message for prices
click here to unlock your free reward
buy real diplomas online, fast and discreet
investment opportunity with guaranteed returns, limited spots
promote your business to 1 million people, contact us today
win a free vacation! enter now at travel-prize.club
hi I'm Jessica, I'm new in town and lonely, message me ;)
earn $1000 daily trading options, join my free masterclass
""")

NONSPAM_MORE = lines("""
money is really tight this month and it's stressing me out
my brother lost all his savings on crypto and he's devastated
I got a free coffee today because the barista liked my hat!
press the help key to see the crisis lines
the link to the meeting is broken, can someone repost it?
my therapist offered me an earlier slot, so happy
I lost contact with my old friends after I got sick
I'm trying to stop buying things online when I'm sad
I got scammed last year and I'm still embarrassed about it
is there a whatsapp group for the walking club?
this rain sounds video helps me sleep https://www.youtube.com/watch?v=q76bMs-NwRk
988lifeline.org has a chat option if you don't like phones
the NHS every mind matters site is really good: nhs.uk/every-mind-matters
I broke no contact with my ex. ugh.
contacted my GP today, finally
spent too much money on takeaway again
free therapy through my uni is a godsend
I've been selling my old clothes to save up for a holiday
anyone know cheap ways to stay warm this winter?
my pharmacy offers free delivery now, so helpful
my friend sent me a link to a funny cat video and it made my day
I'm job hunting, any tips for interviews?
the offer of a hug from my sister meant a lot
I work from home and it gets lonely
is the free version of the app any good?
I clicked on a dodgy link and got hacked, what a week
our group has a discord if anyone wants to join, ask a mod for the invite
I got paid today and bought myself flowers
""")

HAR_MORE = lines("""
you're so annoying, nobody wants you here
why are you even alive
you're a waste of a human being
shut your mouth before I shut it for you
i hate you, you're disgusting
go away, nobody likes you
you're mentally ill and it shows, freak
lol ur so fat no wonder nobody dates you
no one cares about you and no one ever will
you'll die alone and you deserve it
i hope you suffer
you deserve to be abused
what a loser lmao
you ugly fuck
you're a fucking idiot
piece of garbage
you're a creepy weirdo, stay away from this board
everyone hates you, just leave
stop posting, you're embarrassing yourself, idiot
nobody would care if you disappeared, loser
you're a stupid attention seeking whore
shut up nobody cares about your sad life
your face makes me want to throw up
you're pathetic and your goals are a joke
""")

SUPPORT_MORE = lines("""
the urge to self harm does pass, even when it doesn't feel like it
if you feel like hurting yourself tonight, please reach out to someone
thinking of you. suicidal feelings are so heavy, I'm glad you told us
you don't have to go through this alone, I'm here
it's not weak to call a crisis line, it's brave
please stay safe tonight, we want to hear from you tomorrow
if you're in danger right now please call emergency services
I used to feel like I wanted to die too. talking helped. please talk to someone
no one here wants you to hurt yourself, we care about you
you deserve to live a life without pain
""")


# ---------------------------------------------------------------------------------------
# Third pass: wider wording for the cases the second model still got wrong on held-out
# and challenge text (indirect ideation, final goodbyes, danger at home, urges now; and
# the look-alikes: recovery stories, reassurance, ordinary goodbyes, dark jokes). Written
# sentence by sentence in different voices and structures, not by swapping one word.
# ---------------------------------------------------------------------------------------
CRISIS_INDIRECT = lines("""
finished writing my note tonight and hid it in my drawer
I've written letters to my family for after I'm gone
not sure I'll still be around by next month, and that feels like relief
there's no point anymore. I'm done pretending there is
what's even the point of me. I'm going to stop trying to stay
I've been giving my things away this week so nobody has to sort them later
I keep imagining my funeral and it feels peaceful, I want it to happen
I looked at my kids tonight and thought they'd be better off without me. I mean it
it's like I'm already gone and my body just hasn't caught up. I want to finish it
I've made a decision and I feel weirdly calm about it now
I don't plan on seeing my birthday next month
I told my sister I love her today because I won't get another chance
I just need the noise to stop forever and I know how to make it stop
everything is sorted now, my cat has somewhere to go, I'm ready
I keep thinking the world would be quieter without me in it and tonight I want to make it quieter
I'm not afraid of dying anymore, I'm afraid of waking up tomorrow
I'm counting down the days and there aren't many left
my bags aren't packed for a trip, they're packed so my family doesn't have to
I've been saying sorry to people all day because I'm not staying
if I'm honest I've already decided. this week
I'm so tired of existing that not existing looks like the only rest I'll get
I cancelled my therapy because there's no point where I'm headed
no point in making plans for christmas, I won't be around for it
I don't need help, I just need it to be over, and soon it will be
I feel like a ghost already, might as well make it official
it would be kinder to everyone if I just stopped being here, and I'm going to
I'm past the point of wanting help. I just want to go
the thought of ending my life is the only thing that calms me down now
I keep rehearsing how I'll say goodbye to my mum without her noticing
I've stopped taking care of anything because I won't be here to need it
there's a date in my head now and it's getting closer
life is a debt I'm done paying, I'm checking out
I've been sleeping all day hoping I won't have to wake up again, and tonight I want to make sure
every day I wake up disappointed that I'm still alive
why am I still here. I don't want to be. I'm going to fix that
honestly death is starting to look like a friend and I'm going to meet it
I've run out of reasons and I've run out of time, this is it
I've decided tonight is my last night
I can't see myself alive at the end of this month
I'm giving up on everything, even on staying alive
nothing is ever going to get better so I'm ending this
I'm going to disappear tonight and not come back
I want to go to sleep and never come back and I'm going to make that happen
I just want everything to go black forever
I'd rather be dead than face tomorrow
I'd rather die than go through another night like this
I really feel like dying right now
living feels impossible and dying feels like the only thing I can still choose
I'm begging anyone, I don't want to be alive right now and I'm scared of what I'll do
the pull to end it is stronger than anything else tonight
it's not a cry for help, I've made up my mind to die
I wish I was never born and tonight I want to undo it
I think this is my last night on earth
I can't live with myself anymore, I'm going to end it
this pain is never going to end unless I end me
I'm hoping I just don't survive tonight
my life insurance would do more good than me, I keep thinking about making it happen
""")

CRISIS_CHATSTYLE = lines("""
cant do this anymore fr. want to die
lowkey want to die rn and its not a joke
ngl i dont wanna be alive anymore
im so done. like done done. bye
want to kms so bad tonight
i wanna unalive so bad rn
idk why im still here tbh i wanna go
srsly thinking abt ending it all tonight
no point anymore. gonna end it
everything sucks and i wanna die fr fr
i rly wanna hurt myself rn
urges to sh are so bad rn pls talk to me
cant stop thinking bout ending my life
lol anyway i dont plan on waking up tmrw
not joking i want to die tonight
kinda want to not exist anymore 🙃
wanna disappear forever 😞
i'm gonna end it tn
i want 2 die
i wanna die 😭😭😭
gonna hurt myself again tonight idc anymore
pls someone im scared im gonna do something to myself
ok so i think tonights the night. thx for everything
im not gonna be around after tonight. ly all
no1 would care if i died so whats stopping me
sitting here crying, want to end it so bad
tired of livin. just want out
life aint worth it anymore. done
i h8 being alive, wanna die
i want 2 kms
imma end it all tonight, sorry guys
d0nt w4nt t0 l1ve anym0re
i w@nt to d1e
su1c1dal rn pls help
wanna k1ll mys3lf
i keep wanting to c*t again
thinking abt s/h rn and idk if i can stop
💔 done with life. goodbye
just want to sleep forever 😴⚰️
whats the point of anything. i want out for good
i am so close to giving up on living fr
""")

CRISIS_SELFHARM_NOW = lines("""
the urge to hurt myself is winning tonight
I'm holding on by a thread, the urge to self harm keeps getting louder
I want to hurt myself so badly that my hands are shaking
I hurt myself earlier today and I want to do it again
I just hurt myself for the first time in months and I can't tell anyone at home
I need to feel pain right now, I want to hurt my body
I started self harming again this week and it's getting worse every night
urges are so strong I locked myself in the bathroom
I'm sitting on the floor trying not to hurt myself and losing
I want to punish my body for everything, right now, tonight
please distract me, I really want to self harm
relapsed with self harm after two years, it happened an hour ago
I did it again just now, I'm bleeding and I feel nothing
every night this week I've hurt myself and I don't know how to stop
I'm fighting the urge to hurt myself and I'm so tired of fighting
my arms are a mess from this week and I want to do more
I'm going to self harm tonight, I can feel it coming
it's getting harder to resist the urge to hurt myself every day
the only thing I want right now is to hurt myself
I started hurting myself again after the fight and I can't stop
the self harm is getting worse and I'm scared
""")

CRISIS_DANGER_NOW = lines("""
my partner is screaming and throwing things and I'm scared he'll hurt me tonight
I'm locked in my room because my dad is drunk and said he'd hurt me
my mum's new husband hits me and he's home all weekend
he told me if I ever leave he'll find me and kill me, and he's getting worse
my boyfriend won't let me leave and took my keys, I'm scared
my girlfriend hits me when she's angry and she's angry right now
my parents beat me when I get bad grades and report cards came out today
I'm hiding in the garden because my brother is after me again
my wife threatened to hurt me tonight and I'm sleeping in the car
there's a man outside my window again and the police haven't come
I'm scared to go to sleep, my husband said he'll hurt me while I sleep
my step dad comes into my room at night and I don't feel safe
he grabbed me by the throat again tonight and I don't know where to go
my dad said he's going to kill me when he finds out, and he finds out tonight
my ex keeps turning up at my work and said I'll regret leaving him, I'm terrified
I'm not allowed to leave the house and he checks my phone, I'm scared of what he'll do
my uncle hurt me again and I have to stay at his house until sunday
my mum hits me and says it's my fault, it happened again today
someone in my house is hurting me and I can't tell anyone
I'm in danger at home and I don't know who to call
my partner pushed me down the stairs tonight and says I'm overreacting
my flatmate threatened to kill me and I have nowhere else to go tonight
he said next time he won't stop, and I think next time is tonight
my dad locked me out in the cold and said he'll beat me if I knock
I'm being hurt at home and I'm scared it will get worse tonight
my family found out I'm gay and my brother says he'll hurt me, I'm at home with him now
""")

CRISIS_GOODBYE_MORE = lines("""
I just wanted to say thank you to everyone here before I go. you were kind to me
this is the last time you'll hear from me, take care of each other
bye everyone, I'm not coming back this time. it's not your fault
I love you all. please don't be sad. it's better this way
thank you for trying to help me. I'm sorry I couldn't stay
this is my goodbye. I won't be posting again, or doing anything again
I'm leaving for good tonight and I'm not scared anymore
see you on the other side, friends
when you read this I'll already be at peace
I've said goodbye to the people who matter. now you. goodbye
I'm logging off for the last time. forever. thank you for everything
please look after my cat, I won't be able to anymore
tell my mum I'm sorry and that it wasn't her fault
my last message here, I wanted someone to know I tried
I won't be at the check-in circle on sunday. or ever. thank you all
final update on my goals: I'm giving up on all of them, and on everything. goodbye
ok. this is it. goodbye
""")

CRISIS_OTHER_MORE = lines("""
my best friend just sent me a goodbye message and now she's not answering, what do I do
my son says he wants to die and locked himself in his room, please help
my flatmate just told me she hurt herself badly and won't let me call anyone
my friend posted that tonight is his last night and nobody can reach him
""")

# Look-alikes of crisis: past tense, reassurance, everyday goodbyes, dark humour.
RECOVERY_MORE = lines("""
a year ago I wrote a goodbye note. tonight I'm writing my wedding vows
I used to count the days until I could end it. now I count days clean, 212 today
there was a time I wanted to die every day. that time is over and I'm grateful
I remember thinking the world would be better without me. I'm so glad I was wrong
I used to hurt myself to get through the night. I haven't needed to in two years
my attempt was six years ago. I went back to college and I'm graduating in june
back when I was self harming I never thought I'd wear short sleeves again. wore them today
I spent most of my teens wanting to disappear. I'm 30 now and I really like my life
when I was in the psych ward I didn't think I'd see 25. I turned 25 yesterday
I haven't had a single suicidal thought in months. I didn't think that was possible
my old notes from the worst year are hard to read. I'm not that person anymore
I was sure I wouldn't survive that winter. it's spring and I'm still here
I got through the anniversary of my attempt without crying this year
it's been a long time since I felt like dying. therapy really worked for me
I used to dream about not waking up. now I set two alarms because I'm excited for work
my scars are old and white now. they're part of my story, not my present
the last time I hurt myself was 2020 and I'm proud of every day since
I was suicidal through most of my divorce. two years on, I'm okay, really okay
I nearly ended my life at 19. I'm 41 now and I'm a grandad
my abusive ex used to threaten to kill me. I've been safe for three years now
I left a violent home at 17. I've got my own place now and it's peaceful
back in school I cut a lot. I talk to teenagers about it now as a youth worker
I once said goodbye to everyone on a forum like this. someone called for help and I'm glad they did
the darkest part of my life was wanting to be dead. it passed, slowly, with help
I wanted to die after my son was born. postnatal depression is real and treatable and I'm better now
my first year sober I thought about suicide a lot. five years later I don't
the urges to self harm used to be constant. now they're rare and I know what to do
I attempted when I was 15, I'm sharing because someone here might need to hear that it gets better
I survived. that's all. I survived and it's been four years
I'm one year free from self harm today and I bought myself a plant
I was in a really bad place last spring. I'm not there anymore
reading my old posts from when I wanted to die. so proud of how far I've come
""")

REASSURANCE_MORE = lines("""
I'm not going to hurt myself. I just need to rant for a minute
please don't worry, I'm not going to do anything, I'm just really sad
no, I'm not suicidal. I'm just exhausted and nobody listens
I'm safe. I'm sad but I'm safe
I promise I'm not going to hurt myself, I just wanted somewhere to say how bad today was
I'm not thinking about ending anything, I'm thinking about ending this terrible week
not in danger, not hurting myself, just lonely and wanted to talk
I had a wobble but I'm safe and I've called my friend
I don't want to die, I want things to be different. big difference
I'm not going anywhere, don't worry. just feel rubbish
this is a vent, not an emergency. I'm okay, ish
I get why my post sounded worrying but I'm safe, I was just being dramatic
I'm not going to kill myself, I'm going to kill my ex's playlist on spotify lol
no self harm urges today, just general sadness
I'm sad but I have no plans to hurt myself, I have my safety plan and I'm using it
thanks for checking on me, I'm not in danger, just needed to cry it out
the thoughts came and went and I didn't act on them, I'm okay now
I used my coping plan tonight and the urge passed, I'm safe in bed
I felt like hurting myself earlier but I called the helpline and it passed, I'm ok now
I'm definitely not suicidal, I just hate mondays with a passion
I'm fine, I'm not going to hurt myself, I'm just angry at the world
""")

GOODBYE_MORE = lines("""
goodnight all, logging off
night everyone, thanks for the company tonight 💙
right, that's me for today, bye all
I'm heading off now, see you tomorrow
bye for now, going to try and sleep
signing off, take care of yourselves
logging off for the weekend, be kind to yourselves
ok I'm going, talk soon
I'm off to bed, night night
this is my last post for a while, taking a social media break, back in march
saying goodbye to this board for a bit, moving house, will be back
I'm leaving the sunday circle as host, thank you all, I'll still pop in
last check in before my surgery, see you on the other side of it!
goodbye 2023, you were rough, hello new year
I said goodbye to my therapist today, our sessions are finished and I'm doing well
I won't be around much this week, my sister is visiting
farewell party at work today, it's my last day, feeling emotional
deleting my twitter, this place is better for me
bye all, early shift tomorrow
gotta go, the baby's awake
thanks everyone, I'm going to go for a walk now, bye
gonna log off and read a book, night
brb making tea
going offline for a few days to reset, I'm okay, just need a break from screens
""")

VENT_THIRD = lines("""
there's no point studying for this exam, I'm going to fail it anyway
I feel so hopeless about finding a place to live in this city
honestly what's the point of dating apps, nobody replies
everything is pointless at work, nobody reads my reports
I'm so done with being ill all the time, this flu won't go
I'm just so sad today, no reason, just sad
I can't stop crying about the breakup but I know I'll get through it
my anxiety is killing me this week but I'm still going to work
I feel like I'm falling apart at the seams but I'm holding on
I hate my life some days, but today I got out of bed and that counts
why does nobody ever ask how I'm doing
I'm exhausted by my own brain
feeling really low since the move, I miss my friends
I'm so angry I could punch a wall, my landlord is a joke
I'm drowning in debt and it keeps me up at night
I don't want to do anything today, just lie here
it feels like the walls are closing in at work
I keep messing everything up and I'm sick of myself
I'm not coping well with the new job, I cry most evenings
the depression fog is thick today, I feel like a zombie
I'm so lonely that I talk to my plants
I hate feeling like this, so flat and grey
my mood is in the bin and I can't drag it out
no one gets how hard it is to just exist with anxiety
sometimes I feel invisible in my own family
I'm tired of being the one who always reaches out first
everything went wrong today, I just want to go to bed and start again tomorrow
I feel stuck in a life I didn't choose
I've been in a slump for weeks and I don't know how to get out
I hate that I'm still this sad about something that happened years ago
I wanted to scream at my boss today
I feel like such a burden when I ask for help
I can't sleep and it's making everything worse
it's hard to see the point of trying when I keep getting rejected
I'm struggling with the darkness this winter but I have a light box now
I feel like I'm losing myself in this relationship
I'm just done with today, done done
I'm heartbroken and I don't know how to stop thinking about her
I'm ashamed of how much I've been drinking, going to talk to my GP
I'm in such a bad mood, everyone is annoying me
I want to disappear from this group chat, it's so much drama
honestly I feel dead inside at this job
I'm not okay but I know it will pass
""")

DARK_HUMOUR = lines("""
this exam is literally killing me 😭
if I have to sit through one more meeting I will actually die lol
my boss is going to kill me, I deleted the spreadsheet
I want to die of embarrassment, I waved at someone who wasn't waving at me
statistics homework makes me want to jump out of my chair and run away lol
kill me, the wifi is down again
the revision timetable is going to be the end of me
I'm going to die if this queue doesn't move
I'd rather die than do another group project lol
my calves are dead after leg day
this heat is killing me, 34 degrees in the office
my tamagotchi died, rip
ugh I could just die, I sent the text to the wrong person
mum will literally murder me if I'm late again
my will to live left when they announced a surprise quiz lol
I'm dead 💀 this thread is too funny
RIP my sleep schedule
this spreadsheet will be the death of me
I'd kill for a nap right now
my feet are dying in these boots
these deadlines are murdering me
when the teacher said "pop quiz" I died inside
my social battery is dead, going home
coffee or death, those are my options this morning
I'm going to scream into a pillow, this coursework is endless
I nearly killed myself laughing at that video
the new manager is a nightmare, she'll be the death of us all lol
my houseplants keep dying, I'm a plant murderer
killing it at the gym lately 💪
I'm so hungry I could die
""")

SUPPORT_THIRD = lines("""
if you're having thoughts of ending your life, please tell someone tonight, you deserve support
hey, I saw your post. are you safe? you can tell me if you're thinking about suicide
please don't give up, the feeling that there's no point is the depression lying to you
I know it feels like everyone would be better off without you, but they wouldn't. we wouldn't
the urge to hurt yourself can pass if you ride it out, text me if you want company
when I wanted to die, what helped was telling one person. could you tell one person?
please stay, even if it's just for tonight
you said goodbye in your last post and we're all worried, please reply if you can
if your partner is hurting you, you deserve to be safe, there are people who can help you leave
I'm so sorry you feel like dying. thank you for telling us. can you call a crisis line now?
suicide isn't the answer, please let someone help you carry this
"I don't want to be here anymore" - I've felt that too, and I'm glad I stayed. please stay
nobody here would be better off without you
you're not a burden, you're a person in pain, and that's different
your life matters, even on the days it doesn't feel like it
please put some distance between you and anything you could hurt yourself with tonight
we've let the mods know so someone can check on you, you're not alone
have you got a safety plan? let's go through it together
""")

NEWS_MORE = lines("""
the government published new suicide statistics today and rates in young women are up
our charity's annual report says calls about self harm doubled
I'm writing my dissertation on suicide prevention in prisons
good thread on twitter about how to talk to teenagers about self harm
the coroner's report said the death was a suicide, the article was very respectful
there's a new study on domestic violence during the holidays
the film handles suicide really carefully, there's a helpline at the end
my nursing course covered suicide risk assessment today
the podcast interviewed a man who survived an attempt and now campaigns for men's mental health
statistics on self harm in under 18s are really worrying
how should the media report on suicide? interesting panel tonight
the hotline volunteer training covers what to do if someone says they want to die
""")

MEDICATION_MORE = lines("""
my psychiatrist is switching me from sertraline to mirtazapine, nervous about it
anyone else on lamotrigine? the rash warning freaked me out
I keep forgetting my evening dose, any tips?
the antidepressant finally kicked in after six weeks, I feel lighter
my pharmacist said not to drink on my new meds so no wine for me
the side effects are getting better, just a bit of nausea now
I'm coming off my meds with my doctor's help, slowly
my meds make me so tired I could sleep all day
is it okay to take ibuprofen with sertraline? going to ask the pharmacist
got my prescription renewed without a fight for once
the lithium levels came back fine, relief
my new sleeping tablets give me weird dreams
I'm scared my meds are making me numb, going to bring it up at review
anyone know if citalopram affects your appetite?
""")

GRIEF_MORE = lines("""
my mum died a year ago today and I've been crying since I woke up
I lost my friend to suicide in the summer and I keep rereading our messages
the hospice called, my dad doesn't have long. I'm sitting with him
I still can't believe my brother is gone, it's been three months
my grandad's funeral was today. I read a poem and didn't fall apart
since my wife died I talk to her photo every night
my dog was put to sleep this morning and I'm wrecked
losing someone to suicide leaves so many questions, the support group helps
it's my son's birthday and he isn't here to see it
I miss my nan's voice so much
""")

HAR_INDIRECT_THREAT = lines("""
give me a day and I'll have your home address
I'll work out which house is yours and pay you a visit
I know what street you live on, keep talking
it would be a shame if your address ended up online
you won't feel so brave when I turn up at your door
I've got your number now, sleep well
I know which school your kids go to
keep posting and see what happens to you
I'll turn your life into a nightmare
people like you have accidents
I'm going to find you, it's only a matter of time
you'd better hope we never meet in real life
I can find out who you are in five minutes, test me
one day you'll be walking home and I'll be there
remember my name, because you'll be seeing me
I'll be waiting outside your work tomorrow
wouldn't it be awful if someone told your family what you post here
enjoy your last few days of peace
I'm screenshotting everything and coming after you
I'd watch my back if I were you
you have no idea who you're messing with, I will end you
I will ruin your life, mark my words
see you soon 🙂 I know where you are
your days on this board are numbered and so are your days outside it
I hope your house burns down with you in it
someone should teach you a lesson you won't forget
""")

HAR_HATE_MORE = lines("""
people like you should be wiped out
your kind doesn't belong in this country or on this board
you people are subhuman
gay people are an abomination and shouldn't be here
trans people are sick in the head and should be kept away from kids
black people are criminals, everyone knows it
women belong in the kitchen, not on a forum
all muslims should be deported
jews control everything and you're one of them
immigrants are parasites
disabled people are useless eaters
those people breed like rats
mentally ill people should be locked away forever, starting with you
your religion is a disease
gypsies are thieves, every one of them
you lot are a plague on this country
""")

HAR_INCITE_MORE = lines("""
if you're so sad just end it and stop whining
nobody would miss you if you were gone, so go
why are you still here, just do it already
the world has one too many of you, fix that
do the world a favour and stop breathing
you should've finished the job last time
go die somewhere quiet
honestly just kill yourself lol
maybe try not existing, it'd help everyone
I hope you relapse and don't come back
""")

CRISIS_FOURTH = lines("""
every morning I'm angry that I woke up, and I don't want to do it again
I keep asking God to take me in my sleep and tonight I mean it more than ever
I've started saying goodbye to people without them realising
I'm so ready for it all to be over. tonight feels right
I don't belong in this world and I'm going to leave it
nobody will have to worry about me after this weekend
I hope this is the last time I ever have to feel anything
I want to die and I'm not saying that for attention, I'm saying it because it's true
I've been fantasising about my own death all day and it feels like a plan now
honestly I think I'm going to do it this time
my head keeps saying it's time to go and I'm too tired to argue
I feel like I've already left and just need to finish the job
I just want the world to forget I existed, and I'm going to make it easy for them
the only exit I can see is the permanent one
I'm going to stop fighting tonight. I'm sorry
I'm not going to make it through this. I don't want to
I've spent all evening thinking about ending everything and I can't stop
what's the point in staying. I'm leaving, for real this time
I feel like I'm at the edge and I want to let go
I think I'm going to kill myself and I'm scared but also relieved
every part of me wants to not be alive anymore
I'm so sick of living that I've stopped caring what happens to me tonight
I'm a burden, I've always been a burden, and I'm going to fix that tonight
it's hard to explain but I feel like my time is up and I'm okay with making it up
I've been crying for hours and I just want to die
I want to end it but I'm scared, please can someone talk to me
I'm so close to giving up on life, closer than I've ever been
I hate waking up. I wish I just wouldn't anymore, and I'm thinking about making sure
I want to go to sleep tonight and for that to be it
I'm not safe with myself tonight
I don't trust myself to stay alive tonight
I'm worried I won't stop myself this time
I'm done. with everything. with being alive
I keep thinking about how peaceful it would be to be dead, and I want that now
I can't bear another day. I'm ending my life
I'm writing this so somebody knows. I'm not going to be here tomorrow
I don't want to exist anymore and I'm starting to plan for it
living is too hard and I'm choosing to stop
nothing will change so I'm checking out for good
I'm going to hurt myself really badly tonight, I can feel it
I can't stop the urges tonight and I'm scared I'll go too far
I need to self harm so badly it's all I can think about
I just harmed myself and I'm shaking, I don't know what to do
my self harm is out of control this week and tonight is the worst
""")

DANGER_FOURTH = lines("""
my husband has been threatening to kill me and he just came home
I'm scared for my safety right now, my partner is out of control
my dad just beat me and said there's more when he gets back
my girlfriend said she'll hurt me if I go to sleep
someone is banging on my door and shouting that they'll kill me
my brother has been hurting me and my parents don't believe me, he's home now
my ex is parked outside my house right now and won't leave
I'm hiding at a friend's because my partner said he'll hurt me when I come home
my mum screams that she'll kill me and tonight she grabbed me
""")

GOODBYE_FOURTH = lines("""
thank you for everything, all of you. I'm going now
I'm sorry for everything. goodbye for real
this is the end for me. thank you for the kindness
this is my last check-in. I won't need the goal tracker anymore
it's time for me to go. look after yourselves
I'm signing off for good. you won't hear from me again
don't look for me tomorrow. I'll be gone
I'm done with this life. goodbye friends
""")

VENT_FOURTH = lines("""
I'm done with this job, I'm done with this city, I'm done with my ex. done done
I give up on trying to get a GP appointment, the phone lines are hopeless
I can't go on like this with no sleep, I'm booking a doctor's appointment
I want to disappear under my duvet and never come out lol
sometimes I wish I could just vanish from social media for a year
I don't want to be here, at this wedding, with these people
I want to stop existing on mondays specifically
I just want to stop feeling so tired all the time
I'm tired of everything, but I'm still going
there's no point arguing with my dad, he never listens
I feel like nothing I do matters at work
I'm so sad that I can't even cry anymore, just numb
I'm fed up of feeling like a failure
I hate myself today but I know tomorrow will be different
my brain keeps telling me I'm useless and I'm trying not to listen
I feel hopeless today, but I've felt this before and it passed
I wish I could sleep for a week and wake up with everything fixed
I feel so alone even in a room full of people
I'm struggling so much with the loneliness since my divorce
I'm sick of being sad, I want to feel like me again
it's been a horrible year, honestly, and I'm just limping to the end of it
I'm barely keeping my head above water with work and kids
I can't stand my own company some days
I'm not in a good place but I'm talking to my therapist about it
ugh, my life is such a mess right now
everything hurts and I'm tired, gonna rest
the dread before monday is so bad I can't enjoy sundays
I feel like my life is on pause and everyone else is moving
I don't see the point in going to the party, everyone there hates me anyway
I'm so over being anxious about everything
""")

RECOVERY_FOURTH = lines("""
I'm still here. two years ago I didn't think I would be, and I'm so glad
my goodbye post from three years ago is still up. I'm so grateful I didn't go through with it
I used to pray not to wake up. now I pray for my kids to sleep through the night lol
I tried to end it at 22. now I'm 30, married and I have a garden
self harm was how I coped in my teens, I learned other ways and I'm proud of that
I was in a violent relationship for years. I'm out and I'm safe and I'm rebuilding
it's the anniversary of the night I nearly died. I spent it with friends eating pizza
I'm a suicide attempt survivor and today I'm celebrating being alive
I used to think I'd never see 18. I'm 26 today
I'm so glad the version of me who wanted to die didn't win
the scars have faded and so has the pain, mostly
I've been suicidal before, so I know how heavy it is. it did lift, for me
""")

SUPPORT_FOURTH = lines("""
please don't say goodbye, we want you here tomorrow and the day after
if you're thinking of ending your life tonight, please call a crisis line or message a mod
your post worried me, are you thinking about killing yourself? you can tell me
it sounds like you're in danger at home, please call the police if you can
hey, you said you want to die. I'm here and I'm listening
the thought that everyone would be better off without you is the illness talking
you don't have to act on the urge to self harm tonight, you can ride it out with us
sending you so much love. please stay safe tonight and talk to someone
""")

IDIOM_FOURTH = lines("""
I'm literally going to die if I have to hear that song one more time
this cough will be the death of me
I could murder a cup of tea
my group project partner is killing me slowly lol
I'm going to kill my brother, he ate my leftovers
I almost died laughing at the meeting today
this commute is going to kill me one day lol
being an adult is killing me, who knew bills were so boring
I'm dying to see the new film
""")

CRISIS_FIFTH = lines("""
how do you get through a day when all you want is to die? asking because I can't
does anyone else think about killing themselves all the time? I can't make it stop tonight
how do people keep going when they don't want to be alive? I don't think I can
I'm ready to be done with life, completely done
I want to be finished with all of it, for good
I just want it to be over. not the week, everything. me
nobody needs to stop me, I just wanted one person to know
no one can change my mind now, I've thought about it for months and I'm ready
I'm tired of being alive and I'm ready to rest for good
I want to let go of everything and not come back
I don't want help anymore, I want to be gone
I slipped tonight and self harmed after weeks of being okay, and I want to keep going
self harmed three times this week now and it's not stopping
I've been thinking about death constantly and it's getting worse every day
I keep thinking about not being alive, all day, every day, and today it's loud
it's getting harder to stay alive every day
the suicidal thoughts are back and stronger than before
I'm having really dark thoughts about ending my life tonight
can't stop picturing my own funeral and wanting it to happen
I'm giving up. on therapy, on meds, on living
I want to check out of life permanently
I've had enough. I'm going to make it stop for good
I feel like dying is the only thing I have left to do
my life feels over already, I just want to make it official
tonight I'm going to do something I can't undo
I don't think I'm going to be alive much longer and I've accepted it
I can't keep myself safe anymore, I'm scared
I'm in a really dangerous place in my head right now
there's nothing keeping me here anymore
I'm sure now that I want to die
I can't imagine being alive next year and I don't want to be
he's drunk and he broke my phone and said I won't leave this house, I'm using my brother's tablet
my dad took my phone and said if I tell anyone he'll hurt me, I'm scared to go home from school
she keeps hitting me and says no one will believe me, and she's home now
""")

HARD_FIFTH = lines("""
is it normal to feel so tired on sertraline? asking for me
does anyone else get sad on sunday evenings?
how do people cope with loneliness after a breakup?
am I the only one who finds christmas really hard?
I'm ready to be finished with this essay, three more paragraphs
I just want this exam season to be over
can't wait for this day to be over, bed is calling
I'm ready to go home, this shift has been endless
I'm finished with that friendship and I feel lighter
I'm letting go of the idea that I have to be perfect
I'm giving up sugar for a month, wish me luck
I've had enough of this rain, I'm moving to spain lol
please don't try to talk me out of dying my hair green
don't talk me out of quitting my job, I've decided
I'm tired of being the only adult in this house who does the dishes
I'm so exhausted by this week, ready to rest all weekend
I keep thinking about my grandad's funeral, it was a year ago today
I think about death a lot since my mum died, it makes me want to live better
we talked about death and dying in philosophy class, heavy stuff
the hospital chaplain talked to us about dying with dignity for nan
I relapsed on sugar again lol, back to day one
hurt my knee again at football, third time this season
I feel like giving up on this puzzle, 1000 pieces is too many
my plants died again, I give up on gardening
I want to let go of my anger at my dad, working on it in therapy
nothing keeps me in this town anymore, I'm moving in the spring
I'm done with my degree! graduation next week!
this is the last day of my old life, new job tomorrow 😬
my life felt over after the divorce, but a year on I'm rebuilding
I used to want to die and now I just want a nap lol, progress
""")

CRISIS_ANGRY_MORE = lines("""
fuck every one of you, you never listened and tonight I'm ending it
you lot are useless, I asked for help for weeks and now I'm going to kill myself
thanks for nothing, assholes. I won't be around to bother you after tonight
none of you give a shit so why should I stay alive
screw you all, I'm done living, happy now?
this whole board is fake, nobody cares, I'm going to end my life and you can all pretend you're sad
go to hell, every one of you, I want to die and you don't care
""")

CRISIS_SELF_HATE = lines("""
I hate myself, I'm worthless and I want to die
I'm a useless piece of shit and the world would be better without me, I'm going to end it
I'm so disgusting and pathetic, I don't deserve to live
I'm an ugly stupid waste of space and I want to kill myself
I'm such a failure, everyone hates me, I want to disappear forever tonight
I'm a burden and a loser and I don't want to be alive anymore
I deserve to hurt, I'm worthless, I want to hurt myself tonight
I hate everything about me and I want it all to end
""")

SELF_HATE_NEGATIVE = lines("""
I hate myself today but I'm going to be kind to myself anyway
I feel worthless at work but my therapist says that's the depression talking
I called myself a useless idiot again, trying to stop that habit
I'm such a loser, I missed the last bus again lol
ugh I hate myself for eating the whole cake
I feel pathetic for crying at an advert
I'm my own worst enemy, working on it
""")

CRISIS_SEVENTH = lines("""
I self harmed again this evening after eight months clean and I want to keep going
broke my streak today, hurt myself, and the urge hasn't gone
first time hurting myself since the summer, it happened tonight and I'm frightened
after a whole year clean I hurt myself this afternoon and I can't stop thinking about doing it again
it's better for everyone if I'm not here, I love you all, goodbye
please don't be sad when I'm gone, it's what I want
you've all been so kind. it's not enough anymore. I'm sorry. goodbye
I've told everyone I love them today so they have that to remember
I gave my best friend my favourite jacket today, I won't need it
I've stopped replying to everyone because I'm leaving soon, for good
I feel such peace now that I've decided to die
can't stop shaking, I want to die so much right now
it's too much, I want to kill myself, I can't be here anymore
I've been holding on for my mum but I can't anymore, I want to end it
I'm 16 and I don't want to live anymore, nobody at home knows
I don't think I'll be alive by the end of the week, and I don't want to be
the bad thoughts are telling me to end it and I'm too tired to fight them
I'm so scared of how badly I want to die tonight
my partner is threatening me again and I'm locked in the car, I don't know where to go
he broke the door down last time and he's shouting outside it now
""")

HARD_SEVENTH = lines("""
staying alive was the bravest thing I did last year, and I'm still proud of it
how can I tell if my friend is suicidal? she's been quiet lately
how do I ask my dad if he's having dark thoughts? he lost his job
what should I say if someone tells me they want to die? I want to be ready
can't wait for this term to end, so ready for the holidays
I don't want to be at this family dinner, everyone is arguing, going home soon
my heart is broken but I'm going to be okay, my friends are amazing
there's no point arguing with the bank, I'll go in person tomorrow
no point crying over spilled milk, off to the shop
I'm drowning in laundry lol
I can't keep up with my emails, they're drowning me
I'm so done with this flu, day six
I just want to hibernate until spring
I'm going to stop going to that gym, the people are awful
I hurt myself falling off my bike, nothing serious, just a bruised ego
my sister self harmed when we were teenagers and we talk about it openly now
I love you all, thanks for the birthday messages! 🎂
please don't be sad that I'm leaving the sunday group, I'll still be on the boards
I'm giving my old clothes to charity, decluttering feels great
I told my mum I love her today, we've been getting on so much better
I gave my sister my old guitar, she's going to learn
the self harm awareness talk at school was really good, my daughter came home and talked to me
my friend told me she used to self harm and I didn't know what to say, any advice?
I'm so angry I want to scream but I'm okay, going for a run
I really want to quit my job today, one of those days
I'm broken hearted, she moved out today, I'll be alright eventually
I haven't felt like hurting myself in ages and today was no different, just tired
last night was rough but I used my safety plan and I'm okay this morning
my brain said some dark things last night, but I talked to the crisis line and I'm okay now
I was scared I'd relapse with self harm over christmas but I didn't, proud of that
""")

HAR_MOCK_MORE = lines("""
keep crying, nobody will ever care about you, loser
go on, post another sad story, we're all laughing
lmao your therapist must dread seeing you
no wonder everyone leaves you, look at yourself
another relapse? what a surprise, junkie
""")

# Longer posts, several sentences each, in the voices of different members: real posts mix
# context, feeling and the one sentence that matters.
CRISIS_LONG = paragraphs("""
I've been on this board for two years and you've all helped me so much. but the last month
has been the worst of my life. I lost my job, my partner left, and I can't see any way
forward. I've decided I'm going to end my life this weekend. I just wanted to say thank you

I don't really know how to start this. work is fine, my family is fine, on paper everything
is fine. but every night I lie in bed and think about dying, and tonight it feels different,
like I actually want to do it

so my mum found out I'm gay and she said I'm not her son anymore. my stepdad said if I come
home he'll hurt me. I'm at the bus station and I have nowhere to go and I'm scared

sorry this is long. I've been self harming again since january. I told my therapist I'd
stopped but I haven't. tonight it's really bad, the urges won't stop and I'm scared I'm
going to really hurt myself

I'm 58 and I've never posted anything like this. since my wife died I don't see the point in
carrying on. the kids are grown. I've been thinking about ending it and I've started getting
my affairs in order

it started as a normal day. then my boss called me in and it all fell apart. I got home and
I just sat in the dark. I keep thinking everyone would be better off if I was dead. I don't
want to be here tomorrow

my boyfriend has been getting worse for months. tonight he hit me in front of my daughter
and said next time he'll finish it. he's asleep now. I'm typing this in the bathroom and I
don't know what to do

everyone keeps telling me it gets better. it hasn't. eleven years of meds and therapy and
hospital and it hasn't. I'm done waiting. I'm going to kill myself, I just wanted one place
to say it honestly

I keep writing and deleting this. I'm in uni, I'm failing everything, I haven't left my room
in a week, and I've been planning how to end my life. I'm scared because part of me really
wants to

I'm not being dramatic. I really don't want to be alive anymore. I haven't eaten properly in
days and I've stopped answering my phone. I think tonight might be it

hi, I'm new. I found this place searching for something else. I've been feeling like a
burden to everyone and I want to die. I don't know why I'm telling strangers but I can't
tell anyone I know

it's been a year since the accident and I still can't cope. I keep hurting myself to make
the memories stop and tonight I can't stop. I need someone to talk to

my dad is an alcoholic and when he drinks he gets violent. he's been drinking since lunch
and my mum is out. he already threw a plate at me. I'm hiding in my room with the door
locked

I thought I was getting better. I was doing my goals, I was checking in every day. then
today it all came back and I cut again, and now I can't stop thinking about dying
""")

HARD_LONG = paragraphs("""
I've been on this board for two years and I wanted to say thank you. when I joined I was in
a really dark place and didn't want to be alive. today I got my first full-time job in three
years. you all helped me get here

I don't really know how to start this. work has been awful, my partner and I are fighting,
and I feel like I'm failing at everything. I'm not in danger, I just feel really low and
needed to write it down somewhere

so my mum found out I'm gay and she took it better than I expected. she cried a bit but she
hugged me. I was so scared for years and it was okay. posting because someone here might
need to hear that

sorry this is long. I used to self harm in my teens and I've been clean for six years.
lately the old thoughts have popped up a bit because of stress, but I told my therapist and
we made a plan. I'm okay, just wanted to be honest

I'm 58 and I've never posted anything like this. since my wife died the house is so quiet.
I'm not coping brilliantly but I've joined a grief group and my daughter visits on sundays.
one day at a time

it started as a normal day. then my boss called me in and I got made redundant. I got home
and cried for an hour. I'm scared about money but I've updated my CV and my sister is
helping. just needed to vent

my boyfriend and I broke up tonight. it wasn't violent or anything, we just want different
things. I'm sad and I've eaten a whole tub of ice cream. I'll be okay, I think

everyone keeps telling me it gets better and honestly, slowly, it has. eleven years of meds
and therapy and there are still bad weeks, but I have more good days than bad now

I keep writing and deleting this. I'm in uni, I'm behind on everything, and I haven't left
my room much this week. I'm going to email my tutor tomorrow and ask for an extension. wish
me luck

I'm not being dramatic but this week has been the worst. the car broke, the boiler broke,
and I think I'm getting the flu. I'm going to hide under a blanket and watch films all
weekend

hi, I'm new. I found this place through my therapist. I've had depression for a few years
and I'm looking for people who get it. not in crisis, just lonely. nice to meet you all

it's been a year since the accident. I still get flashbacks but they're less often now. I
did a memorial walk today with friends and it felt right

my dad was an alcoholic when I was growing up and it was scary. he's been sober for ten
years now and we're slowly rebuilding. we had lunch today and it was nice

I thought I was getting better and then I had a bad day today and cried at work. but I
remembered what my therapist said, bad days aren't relapses. I'm going to bed early and
trying again tomorrow

my nephew asked me why people die by suicide after a boy at his school died. I didn't know
what to say. we talked about feelings and asking for help. how do you all explain it to
kids?

my best friend used to say she wanted to die and I never knew what to do. she's doing well
now and we talk about it openly, but I wish I'd known then what I know now

our group did a session on safety plans today. it was heavy, talking about what to do if you
feel suicidal, but I think everyone found it useful
""")

# Reported speech: support that quotes the words of abusers, members reporting abuse they
# received, and friendly teasing. These read like incitement or crisis word by word.
SUPPORT_QUOTING = lines("""
don't listen to anyone who says you should die, they're cruel and wrong
people who tell you to kill yourself are the ones with the problem, not you
whoever told you to kys should be banned, I'm so sorry
if someone says "go die" to you here, report it, the mods will act fast
nobody deserves to be told to kill themselves, least of all you
the troll who said the world is better without you is lying
ignore the people saying you should end it, we want you here
I'm sorry someone told you to hurt yourself, that's abuse and it's not okay
when my bully told me to kill myself I reported him and it helped, you can too
anyone telling you that you'd be better off dead is wrong
""")

QUOTED_ABUSE_MORE = lines("""
my ex told me to kill myself and I believed him for years
someone messaged me "kys" after my post, I've reported it
a guy at school said I should die and everyone laughed, it still stings
my stepmum used to say the family would be better off without me. I know now it wasn't true
my brother told me to go kill myself during an argument, he apologised but it hurt
I got a comment saying I should end it, mods please check
someone in the game chat told me to kys, I muted them
my dad once said he wished I'd never been born. I'm working through it in therapy
an anonymous account keeps telling me to hurt myself, how do I block it?
people online told me to die when I came out, this board is much kinder
""")

BANTER_MORE = lines("""
hope you have a great day you absolute weirdo lol
you nerd, of course you read the whole manual
shut up, you did not run 10k before breakfast, you maniac
you're such a dork, I love it
oi you muppet, drink some water
you big idiot, you should've told us it was your birthday!
you lunatic, a cold shower at 6am? respect
stop being so modest you clown, you smashed it
you absolute goblin, three pizzas?? 😂
ok show-off, well done on the promotion
""")

# Links and products shared by members in context: not ads.
NONSPAM_LINKS = lines("""
this breathing exercise video really helped me tonight https://www.youtube.com/watch?v=aXItOY0sLRY
found a lovely article on sleep and anxiety: https://www.mind.org.uk/information-support/
the stupid parking company fined me again, appealing it
here's the form for the walking group: https://forms.gle/walkgroup2024
my therapist sent me this worksheet, sharing in case it helps https://www.getselfhelp.co.uk/
this playlist gets me through bad nights https://open.spotify.com/playlist/37i9dQZF1DX3Ogo9pFvBkY
the NHS page on panic attacks is clear and short: https://www.nhs.uk/mental-health/conditions/panic-disorder/
anyone tried the free version of this journaling app? link: https://daylio.net
useful thread on grief from the forum archive www.ourbbs.org/boards/grief/1123
my local library has free e-books, this site lets you borrow them: https://libbyapp.com
the council's cost of living help page is here https://www.gov.uk/cost-of-living
the annoying bank charged me twice, on hold for an hour
a guided meditation that helped my panic https://www.youtube.com/watch?v=inpok4MKVLM
this comic about depression made me feel seen https://hyperboleandahalf.blogspot.com
""")


# Emoji and openers matched to the tone of each kind.
EMOJI = {
    "sad": ["😞", "😔", "😢", "💔", "😭", "🥀", "😩", ":(", ":'("],
    "warm": ["💙", "🫂", "❤️", "🙏", "💜", "🤍", "<3", "🌱"],
    "happy": ["🎉", "💪", "🙂", "😊", "✨", ":)", "😂", "🥳"],
    "hostile": ["🤡", "😂", "🖕", "🙄", "🤮", "lmao", "lol"],
    "spam": ["🔥", "💰", "✅", "👉", "💯", "🚀", "‼️", "💊"],
    "none": [""],
}
OPENERS = {
    "sad": ["honestly", "ugh", "idk", "tbh", "so", "not sure where else to put this but",
            "sorry for the vent but", "long day.", "hi all.", "update:"],
    "warm": ["hey", "aw", "oh friend", "hi", "hey you", ""],
    "happy": ["update:", "ok so", "guess what,", "yay", "morning!", ""],
    "hostile": ["lol", "lmao", "honestly", "seriously", "bro", "ok", "wow"],
    "spam": ["ATTENTION:", "Hello friends!", "Hi everyone,", "NEW:", "Hey!"],
    "none": [""],
}  # fmt: skip

# Evasions: leetspeak and masks for the words that carry abuse, spam or crisis.
LEET_WORDS = {
    "kill": ["k1ll", "ki11", "k!ll", "kil", "kiII", "k i l l", "kiiill"],
    "yourself": ["urself", "y0urself", "yourse1f", "ur self", "y o u r s e l f"],
    "myself": ["mys3lf", "my self", "myse1f", "m y s e l f"],
    "die": ["d1e", "d!e", "dye", "d i e", "diiie"],
    "suicide": ["su1c1de", "suicid3", "s u i c i d e", "sui*ide", "sewerslide"],
    "fuck": ["f*ck", "f**k", "fck", "fuk", "f u c k", "phuck", "fuuuck"],
    "fucking": ["f*cking", "fkin", "fcking", "effing"],
    "shit": ["sh*t", "sh!t", "sht", "s***"],
    "bitch": ["b*tch", "b!tch", "biatch", "b1tch", "btch"],
    "idiot": ["1diot", "id10t", "idi0t"],
    "loser": ["l0ser", "looser", "lo$er"],
    "stupid": ["stup1d", "stoopid", "$tupid"],
    "retard": ["r3tard", "ret*rd", "r*tard"],
    "cunt": ["c*nt", "cvnt", "c**t"],
    "whore": ["wh0re", "wh*re", "h0e"],
    "slut": ["sl*t", "s1ut"],
    "faggot": ["f*ggot", "f@ggot", "f4g"],
    "pathetic": ["pathet1c", "p@thetic"],
    "worthless": ["w0rthless", "worthle$$"],
    "viagra": ["v1agra", "vi@gra", "v!agra", "v.i.a.g.r.a"],
    "xanax": ["x@nax", "xan4x", "xannies"],
    "pills": ["p1lls", "pi11s", "pilz"],
    "bitcoin": ["b1tcoin", "btc"],
    "free": ["fr33", "fr€€"],
    "cheap": ["che@p", "ch3ap"],
    "money": ["m0ney", "$$$"],
    "hurt": ["hurrt", "h*rt"],
    "cut": ["cutt", "c*t"],
    "dead": ["d3ad", "ded"],
}
HOMOGLYPH = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і",
                           "x": "х", "y": "у"})  # fmt: skip
CHAT = [(" you ", " u "), (" your ", " ur "), ("because", "cuz"), ("I'm", "im"),
        ("don't", "dont"), ("people", "ppl"), ("please", "pls"), (" are ", " r "),
        ("right now", "rn"), ("to be honest", "tbh"), ("can't", "cant")]  # fmt: skip


def typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    op = rng.choice(["swap", "drop", "double"])
    if op == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif op == "drop":
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def chat(text: str, rng: random.Random) -> str:
    out = f" {text} "
    for a, b in CHAT:
        if a in out and rng.random() < 0.8:
            out = out.replace(a, b)
    return out.strip()


def evade(text: str, rng: random.Random) -> str:
    low = text
    found = [w for w in LEET_WORDS if f" {w} " in f" {low.lower()} "]
    if not found:
        return homoglyph(text, rng)
    for w in rng.sample(found, k=min(len(found), rng.choice([1, 1, 2]))):
        start = low.lower().find(w)
        while start != -1 and not (
            (start == 0 or not low[start - 1].isalpha())
            and (start + len(w) == len(low) or not low[start + len(w)].isalpha())
        ):
            start = low.lower().find(w, start + 1)
        if start == -1:
            continue
        low = low[:start] + rng.choice(LEET_WORDS[w]) + low[start + len(w) :]
    return low


def homoglyph(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) > 3]
    for i in rng.sample(idx, k=min(len(idx), 2)):
        words[i] = words[i].translate(HOMOGLYPH)
    return " ".join(words)


STRETCHABLE = frozenset(
    "so really tired please help no yes fuck fucking hate love sad ugh why sorry done die "
    "kill shut up loser stupid free now proud yay omg god good bad alone need want".split()
)


def stretch(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if w.lower() in STRETCHABLE]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    vowels = [k for k, ch in enumerate(w) if ch in "aeiouy"]
    k = rng.choice(vowels) if vowels else len(w) - 1
    words[i] = w[: k + 1] + w[k] * rng.randint(2, 5) + w[k + 1 :]
    return " ".join(words)


def shout(text: str, rng: random.Random) -> str:
    return text.upper() + rng.choice(["", "!!", "!!!"])


def plain_lower(text: str, rng: random.Random) -> str:
    return text.lower().rstrip(".!")


def sentence_case(text: str, rng: random.Random) -> str:
    t = text[:1].upper() + text[1:]
    return t if t[-1:] in ".!?)" or not t[-1:].isalpha() else t + "."


Style = Callable[[str, random.Random], str]
STYLES: dict[str, list[Style]] = {
    # Which transforms suit which voice; evasions mostly on abuse and spam.
    "sad": [plain_lower, typo, chat, sentence_case, stretch],
    "warm": [plain_lower, typo, chat, sentence_case],
    "happy": [plain_lower, typo, chat, sentence_case, stretch],
    "hostile": [plain_lower, typo, chat, evade, evade, evade, shout, homoglyph, stretch],
    "spam": [evade, evade, shout, homoglyph, sentence_case, typo],
    "crisis": [plain_lower, typo, chat, sentence_case, evade, stretch],
}


class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.rows: list[dict[str, object]] = []
        self.seen: set[str] = set()

    def add(self, text: str, labels: Labels, kind: str, group: str) -> None:
        text = " ".join(text.split())
        if not text or text.lower() in self.seen:
            return
        self.seen.add(text.lower())
        h, s, c = labels
        self.rows.append(
            {"text": text, "harassment": h, "spam": s, "crisis": c, "kind": kind, "group": group}
        )

    def variants(
        self,
        kind: str,
        labels: Labels,
        bases: Sequence[str],
        voice: str,
        extra: float,
        emoji: str = "none",
    ) -> None:
        """Each base sentence plus `extra` styled variants (fractional: probability)."""
        styles = STYLES[voice]
        opens = OPENERS.get(voice, OPENERS["none"])
        emos = EMOJI[emoji]
        for i, base in enumerate(bases):
            group = f"{kind}:{i}"
            self.add(base, labels, kind, group)
            n = int(extra) + (1 if self.rng.random() < extra - int(extra) else 0)
            for _ in range(n):
                text = base
                for style in self.rng.sample(styles, k=self.rng.choice([1, 1, 2])):
                    text = style(text, self.rng)
                if self.rng.random() < 0.3:
                    op = self.rng.choice(opens)
                    if op:
                        text = f"{op} {text[:1].lower() + text[1:]}"
                if self.rng.random() < 0.35:
                    e = self.rng.choice(emos)
                    if e:
                        text = f"{text} {e}"
                self.add(text, labels, kind, group)

    def composed(
        self,
        kind: str,
        labels: Labels,
        parts: Sequence[Sequence[str]],
        core: int,
        count: int,
        voice: str,
        joiner: Sequence[str] = (" ",),
        optional: Sequence[int] = (),
    ) -> None:
        """`count` combinations of one fragment from each part; grouped by the core part."""
        styles = STYLES[voice]
        for _ in range(count):
            picks: list[str] = []
            core_idx = 0
            for p, part in enumerate(parts):
                if p in optional and self.rng.random() < 0.35:
                    continue
                k = self.rng.randrange(len(part))
                if p == core:
                    core_idx = k
                picks.append(part[k])
            text = picks[0]
            for pick in picks[1:]:
                text += self.rng.choice(joiner) + pick
            if self.rng.random() < 0.4:
                text = self.rng.choice(styles)(text, self.rng)
            self.add(text, labels, kind, f"{kind}:{core_idx}")


def build() -> list[dict[str, object]]:
    b = Builder()
    # Crisis
    b.variants("crisis_ideation", CRI, CRISIS_IDEATION, "crisis", 1.4, "sad")
    b.variants("crisis_passive", CRI, CRISIS_PASSIVE, "crisis", 1.5, "sad")
    b.variants("crisis_selfharm", CRI, CRISIS_SELFHARM, "crisis", 1.5, "sad")
    b.variants("crisis_danger", CRI, CRISIS_DANGER, "crisis", 1.2, "none")
    b.variants("crisis_goodbye", CRI, CRISIS_GOODBYE, "crisis", 1.3, "warm")
    b.variants("crisis_other_in_danger", CRI, CRISIS_OTHER, "crisis", 1.0)
    b.variants("crisis_angry", CRI_HAR, CRISIS_ANGRY, "hostile", 1.0)
    b.composed(
        "crisis_composed",
        CRI,
        [CRISIS_CONTEXT, CRISIS_CORE, CRISIS_TAIL],
        1,
        110,
        "crisis",
        joiner=(" ", " ", ", ", "... "),
        optional=(0, 2),
    )
    # Harassment
    b.variants("harassment_insult", HAR, HAR_INSULT, "hostile", 1.5, "hostile")
    b.variants("harassment_threat", HAR, HAR_THREAT, "hostile", 1.5, "hostile")
    b.variants("harassment_selfharm_incitement", HAR, HAR_INCITE, "hostile", 2.0, "hostile")
    b.variants("harassment_hate", HAR, HAR_HATE, "hostile", 1.5, "hostile")
    b.variants("harassment_sexual", HAR, HAR_SEXUAL, "hostile", 1.5, "hostile")
    b.variants("harassment_mocking", HAR, HAR_MOCK, "hostile", 1.5, "hostile")
    b.composed(
        "harassment_composed",
        HAR,
        [HAR_TARGET, HAR_ADJ, HAR_NOUN],
        2,
        110,
        "hostile",
        optional=(1,),
    )
    # Spam
    b.variants("spam_hand", SPAM, SPAM_HAND, "spam", 1.6, "spam")
    b.composed(
        "spam_composed",
        SPAM,
        [SPAM_PRODUCT, SPAM_OFFER, SPAM_CONTACT],
        0,
        140,
        "spam",
        joiner=(", ", " - ", "!! ", " ✅ "),
    )
    # Hard negatives
    b.variants("hard_negative_venting", NONE, VENT_HAND, "sad", 1.5, "sad")
    b.variants("hard_negative_not_in_danger", NONE, VENT_NEGATION, "sad", 1.5, "sad")
    b.composed(
        "hard_negative_venting_composed",
        NONE,
        [VENT_SITUATION, VENT_FEELING, VENT_COPE],
        0,
        220,
        "sad",
        joiner=(" ", ". ", ", ", " - "),
        optional=(2,),
    )
    b.variants("swearing_nonabusive", NONE, SWEAR, "sad", 1.5, "happy")
    b.variants("recovery_past_tense", NONE, RECOVERY_HAND, "happy", 1.5, "warm")
    b.composed(
        "recovery_composed",
        NONE,
        [RECOVERY_PAST, RECOVERY_EVENT, RECOVERY_NOW],
        1,
        200,
        "happy",
        joiner=(", ", " ", ". "),
        optional=(0,),
    )
    b.variants("supportive_quote", NONE, SUPPORT_HAND, "warm", 1.5, "warm")
    b.composed(
        "supportive_composed",
        NONE,
        [SUPPORT_OPEN, SUPPORT_MID, SUPPORT_CLOSE],
        1,
        160,
        "warm",
        joiner=(" ", ". ", ", "),
        optional=(0, 2),
    )
    b.variants("medication", NONE, MEDICATION, "happy", 1.3, "happy")
    b.variants("relapse_substance", NONE, RELAPSE, "sad", 1.5, "sad")
    b.variants("grief", NONE, GRIEF, "sad", 1.4, "sad")
    b.variants("news_stats", NONE, NEWS, "happy", 1.0)
    b.variants("checkin", NONE, CHECKIN_HAND, "happy", 1.2, "happy")
    b.composed(
        "checkin_composed",
        NONE,
        [CHECKIN_GOAL, CHECKIN_PROGRESS, CHECKIN_MOOD],
        0,
        150,
        "happy",
        joiner=(": ", ", ", " - ", ". "),
        optional=(2,),
    )
    b.variants("idiom_violence", NONE, IDIOM, "happy", 1.4, "happy")
    b.variants("quoted_abuse", NONE, QUOTED_ABUSE, "sad", 1.4, "sad")
    b.variants("self_deprecation", NONE, SELF_DEPRECATE, "happy", 1.4, "happy")
    b.variants("banter_friendly", NONE, BANTER, "happy", 1.4, "happy")
    b.variants("resource_link", NONE, RESOURCE, "warm", 1.2, "warm")
    b.variants("supporting_others", NONE, SUPPORTING_OTHERS, "warm", 1.2)
    b.variants("everyday_chat", NONE, EVERYDAY, "happy", 1.0, "happy")
    b.variants("crisis_more", CRI, CRISIS_MORE, "crisis", 1.3, "sad")
    b.variants("hard_negative_venting_more", NONE, VENT_MORE, "sad", 1.3, "sad")
    b.variants("swearing_nonabusive_more", NONE, SWEAR_MORE, "sad", 1.4, "happy")
    b.variants("spam_more", SPAM, SPAM_MORE, "spam", 1.5, "spam")
    b.variants("not_spam_links_money", NONE, NONSPAM_MORE, "happy", 1.2, "happy")
    b.variants("harassment_more", HAR, HAR_MORE, "hostile", 1.5, "hostile")
    b.variants("supportive_more", NONE, SUPPORT_MORE, "warm", 1.3, "warm")
    b.variants("hard_negative_not_in_danger_more", NONE, NEGATION_MORE, "sad", 1.4, "sad")
    b.variants("goodbye_ordinary", NONE, BYE_NEGATIVE, "happy", 1.3, "happy")
    # Third pass.
    b.variants("crisis_indirect", CRI, CRISIS_INDIRECT, "crisis", 1.3, "sad")
    b.variants("crisis_chat_style", CRI, CRISIS_CHATSTYLE, "crisis", 1.0, "sad")
    b.variants("crisis_selfharm_now", CRI, CRISIS_SELFHARM_NOW, "crisis", 1.3, "sad")
    b.variants("crisis_danger_now", CRI, CRISIS_DANGER_NOW, "crisis", 1.2, "none")
    b.variants("crisis_goodbye_more", CRI, CRISIS_GOODBYE_MORE, "crisis", 1.3, "warm")
    b.variants("crisis_other_more", CRI, CRISIS_OTHER_MORE, "crisis", 1.0)
    b.variants("recovery_more", NONE, RECOVERY_MORE, "happy", 1.3, "warm")
    b.variants("reassurance_not_in_danger", NONE, REASSURANCE_MORE, "sad", 1.3, "sad")
    b.variants("goodbye_ordinary_more", NONE, GOODBYE_MORE, "happy", 1.2, "happy")
    b.variants("hard_negative_venting_third", NONE, VENT_THIRD, "sad", 1.3, "sad")
    b.variants("idiom_dark_humour", NONE, DARK_HUMOUR, "happy", 1.3, "happy")
    b.variants("supportive_third", NONE, SUPPORT_THIRD, "warm", 1.2, "warm")
    b.variants("news_stats_more", NONE, NEWS_MORE, "happy", 1.0)
    b.variants("medication_more", NONE, MEDICATION_MORE, "happy", 1.0, "happy")
    b.variants("grief_more", NONE, GRIEF_MORE, "sad", 1.2, "sad")
    b.variants("harassment_indirect_threat", HAR, HAR_INDIRECT_THREAT, "hostile", 1.5, "hostile")
    b.variants("harassment_hate_more", HAR, HAR_HATE_MORE, "hostile", 1.5, "hostile")
    b.variants("harassment_incitement_more", HAR, HAR_INCITE_MORE, "hostile", 1.5, "hostile")
    b.variants("crisis_fourth", CRI, CRISIS_FOURTH, "crisis", 1.3, "sad")
    b.variants("crisis_danger_fourth", CRI, DANGER_FOURTH, "crisis", 1.2, "none")
    b.variants("crisis_goodbye_fourth", CRI, GOODBYE_FOURTH, "crisis", 1.3, "warm")
    b.variants("hard_negative_venting_fourth", NONE, VENT_FOURTH, "sad", 1.3, "sad")
    b.variants("recovery_fourth", NONE, RECOVERY_FOURTH, "happy", 1.3, "warm")
    b.variants("supportive_fourth", NONE, SUPPORT_FOURTH, "warm", 1.2, "warm")
    b.variants("idiom_fourth", NONE, IDIOM_FOURTH, "happy", 1.3, "happy")
    b.variants("crisis_fifth", CRI, CRISIS_FIFTH, "crisis", 1.3, "sad")
    b.variants("hard_negative_fifth", NONE, HARD_FIFTH, "sad", 1.3, "sad")
    b.variants("crisis_angry_more", CRI_HAR, CRISIS_ANGRY_MORE, "hostile", 1.3)
    b.variants("crisis_self_hate", CRI, CRISIS_SELF_HATE, "crisis", 1.3, "sad")
    b.variants("self_hate_not_in_danger", NONE, SELF_HATE_NEGATIVE, "sad", 1.3, "sad")
    b.variants("crisis_seventh", CRI, CRISIS_SEVENTH, "crisis", 1.3, "sad")
    b.variants("hard_negative_seventh", NONE, HARD_SEVENTH, "sad", 1.3, "sad")
    b.variants("harassment_mocking_more", HAR, HAR_MOCK_MORE, "hostile", 1.5, "hostile")
    b.variants("crisis_long", CRI, CRISIS_LONG, "crisis", 1.0, "sad")
    b.variants("hard_negative_long", NONE, HARD_LONG, "sad", 1.0, "sad")
    b.variants("supportive_quoting_abuse", NONE, SUPPORT_QUOTING, "warm", 1.3, "warm")
    b.variants("quoted_abuse_more", NONE, QUOTED_ABUSE_MORE, "sad", 1.3, "sad")
    b.variants("banter_more", NONE, BANTER_MORE, "happy", 1.3, "happy")
    b.variants("not_spam_links_more", NONE, NONSPAM_LINKS, "happy", 1.2, "happy")
    return b.rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
