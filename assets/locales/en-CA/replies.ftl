# The bot's replies in chats (Telegram, Discord, web playground).

## Cards
card-sent = Here is your card for { $name }! 💚
card-held = Thank you! An adult from your class will read your message for { $name } before it goes out. 💚
card-delivered = A card for { $name }! 💚
card-alt = Encouragement card for { $name }
card-post-wall = Post this message on the wall
card-posted = Your message is now on the wall of support. Thank you! 💚

## Ribbon
ribbon-new = Thank you! You wear the ribbon: you are person #{ $number } in the green wave. 💚
ribbon-again = You already wear the ribbon: you are person #{ $number } in the green wave. 💚
ribbon-alt = Ribbon badge, #{ $number }
ribbon-ask-wall = Do you want your name on the public wall of support? By default we only write "{ wall-neutral-name }".
ribbon-wall-yes = Yes, show my name
ribbon-wall-no = No thanks
ribbon-wall-saved-yes = Noted: your public name will appear on the wall.
ribbon-wall-saved-no = Noted: your name will not appear on the wall.
ribbon-ask-region = Your region (optional):
ribbon-region-saved = Region saved: { $region }. Thank you!
ribbon-ask-age = One last question, if you like: are you…
ribbon-age-youth = A young person
ribbon-age-adult = An adult
ribbon-age-unsaid = I’d rather not say
ribbon-age-saved = Got it, thank you! This helps us count how many young people and adults pledge, without ever saying who.
wall-neutral-name = Someone who believes in you

## Class
class-opened = { $kind ->
    [groupe] Group
   *[classe] Class
} “{ $class }” pledges for perseverance in school! Click the button to wear the ribbon.
class-count =
    { $count ->
        [one] { $formatted } pledge
       *[other] { $formatted } pledges
    }
class-join-button = I pledge 💚
class-close-button = Finish (adult in charge)
class-joined-toast = Thank you! Your pledge counts. 💚
class-already-toast = { $kind ->
    [groupe] You are already in this group’s wave. 💚
   *[classe] You are already in this class’s wave. 💚
}
class-closed = { $kind ->
    [groupe] Group
   *[classe] Class
} “{ $class }” is done: { $count ->
        [one] { $formatted } pledge
       *[other] { $formatted } pledges
    }. Well done, everyone! 🎉
class-badge-alt = { $kind ->
    [groupe] Badge for the group
   *[classe] Badge for the class
} “{ $class }”

## Wall
wall-title = The wall of support
wall-summary = { $total ->
        [one] { $formatted } person wears the ribbon
       *[other] { $formatted } people wear the ribbon
    }, { $today } of them today.
wall-alt = The wall of support: { $formatted } pledges

## Totals
totals-summary = Totals of the { $year } campaign: { $formatted } pledges, { $green } { $green_count ->
    [one] photo
   *[other] photos
} in green (/green). The CSV file is attached.
totals-alt = Chart of pledges by day

## Language
language-set = Okay, I will now speak English with you.
language-choose = Choose your language: "/language en" or "/language fr".

## Forget me
forget-confirm = Do you want me to erase everything I keep about you (public name, messages, links to your pledges)? Anonymous totals stay.
forget-yes = Yes, erase everything
forget-no = No, cancel
forget-done = Done: I erased everything. Your pledge still counts, without your name.
forget-cancelled = Okay, I erase nothing.

## Help: one line per command, and only those the person may use where they write
help-intro = Here is what I can do here:
help-card = /card NAME [design] [message]: an encouragement card. E.g. /card "Mary-Eve" dare "Your talk was great!"
help-ribbon = /ribbon [public name]: I wear the ribbon, and I get my badge.
help-class = /class NAME: your class pledges together, then /class close to get its badge; /class approval to approve its messages before they reach the wall.
help-class-teacher = /class teacher: your teacher page, in private (students without a device, certificates, the class link).
help-group = /group NAME: the same for a CEGEP, adult education or workplace group.
help-certificate = /certificate FIRSTNAME [reason]: a certificate of recognition to print, sent in private.
help-green = /green: your photo in green, framed for Jeudi perséVERT.
help-wall = /wall: the wall of support.
help-totals = /totals: the campaign's totals, as a chart and a CSV.
help-language = /language en|fr: change language.
help-forget = /forget-me: erase what I keep about you.
help-designs = Designs: 1 celebrate, 2 recognize, 3 dare, 4 invest, 5 succeed, 6 encourage, 7 thanks (for an adult who helps you).
welcome = Hello! I am Ruban, the bot of the Journées de la persévérance scolaire. Try "/card Lea" or "/ribbon". 💚

## Platform command menus (short descriptions, 100 characters at most)
command-card = An encouragement card for someone
command-ribbon = I wear the ribbon and get my badge
command-class = My class pledges together (Jeudi perséVERT)
command-wall = The wall of support
command-totals = The campaign’s totals (organizers)
command-language = Change language: fr or en
command-forget = Erase what Ruban keeps about me
command-help = What Ruban can do
command-certificate = Hand out a certificate of recognition (adults)
command-green = My photo in green, framed for Jeudi perséVERT
option-green-photo = A photo of you wearing green
option-certificate-name = The student’s first name
option-certificate-reason = Why (by default: for their effort and perseverance)
class-join-link = Join privately
card-inline-off = Message me privately to send a card
card-inline-hint = Type a name: “Bravo Alex” or “Alex, what a great project!”

## Discord command options (lowercase names; descriptions of at most 100 characters)
option-recipient = The person who will get the card
option-name = A name to write on the card, if the person is not here
option-design = The card’s design
option-message = Your message (280 characters at most)
option-public-name = The name to show on your badge and on the wall
option-class-name = The class’s name, for example “Grade 5 B”
option-close = Close the open class and get its badge
option-approval = The class’s messages wait for approval before the wall
option-teacher = Get your teacher page for the class, privately
option-group = A group (CEGEP, adult education, workplace): messages say “group”
option-language = fr or en

# An open class's message: the link for pupils without an account (a school device).
class-link-line = { $kind ->
    [groupe] No account? Group link: { $url }
   *[classe] No account? Class link: { $url }
}

## The campaign calendar: between editions, the bot stays open
ribbon-early = The { $year } green wave starts on { $date }: your pledge is already counted!
ribbon-no-campaign = Thank you for wanting to wear the ribbon! 💚 The next edition of the Journées de la persévérance scolaire has not been announced yet. Come back once it is: your place in the green wave will be waiting. Meanwhile, you can send cards with /card.
class-no-campaign = The next Journées de la persévérance scolaire is not announced yet: your class can pledge together as soon as its campaign file is added. Until then, your students can already send each other cards with /card. 💚
class-campaign-over = This class was part of the { $year } Journées de la persévérance scolaire, which are over. Ask your teacher to open a new class.
help-season-during = Right now: the { $year } Journées de la persévérance scolaire, until { $end }. Jeudi perséVERT: { $persevert }, wear green!
help-season-before = Next edition: the { $year } Journées de la persévérance scolaire, from { $start } to { $end }. You can already wear the ribbon with /ribbon!
help-season-unannounced = The next edition of the Journées de la persévérance scolaire has not been announced yet. Encouragement cards are always open!
card-report = Report
report-thanks = Thank you for telling us. The card is off the wall, and the organizers will look at it. If a card hurt you, talk to an adult you trust too.
report-not-yours = Only the person who received this card, or an adult in charge of the group, can report it.
class-approval-on = Noted: messages from the class “{ $class }” will appear on the wall of support once the organizers approve them. To undo: /class approval off
class-approval-off = Messages from the class “{ $class }” appear on the wall of support as soon as they are posted again.
card-posted-awaiting = Thank you! Your message will appear on the wall of support once an adult approves it. 💚
class-teacher-link = Your teacher access for the class “{ $class }”: { $link }
    Keep it to yourself: on that page, you can choose to approve the class’s messages before they appear on the wall of support.
class-teacher-write-privately = Write to me privately first, then type /class teacher here again: your access must not appear in the group.
certificate-ready = Here is { $name }’s certificate of recognition, ready to print (image and PDF). What a kind gesture!
certificate-alt = { $name }’s certificate of recognition
certificate-default-reason = for their effort and perseverance
certificate-default-giver = The school team
certificate-write-privately = Write to me privately first, then ask for the certificate here again: I will send it there, so the surprise stays whole.

## /green: Jeudi perséVERT (the photo is never kept, only the count)
green-ready =
    Here is your perséVERT photo! With an adult, you can share it with { $hashtag }. You are part of the green wave: { $count ->
        [one] { $formatted } photo in green
       *[other] { $formatted } photos in green
    } so far! 💚
green-ready-no-campaign = Here is your photo in green! 💚
green-alt = Your photo framed in green and white, with “Jeudi perséVERT”
green-needs-photo-telegram = Send a photo of you wearing green with /green as its caption (or reply /green to your photo): it comes back framed in the ribbon’s colours.
green-needs-photo-discord = Add a photo of you wearing green to the /green command (the “photo” option): it comes back framed in the ribbon’s colours.
green-needs-photo = Choose a photo of you wearing green: it comes back framed in the ribbon’s colours.

seats-recorded = Recorded for “{ $class }”: { $added ->
    [0] no new students (this number was already recorded)
    [one] 1 more student
   *[other] { $added } more students
}. { $kind ->
    [groupe] The group
   *[classe] The class
} now has { $formatted } { $count ->
    [one] pledge
   *[other] pledges
}. 💚

## File names of images and documents (ASCII; the name follows)
file-card = card
file-class = class
file-certificate = certificate
