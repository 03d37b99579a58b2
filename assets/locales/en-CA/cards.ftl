# Text drawn on images (cards, badges, certificates).
# Inserted values are not isolated (no bidi marks): they are drawn.

## The six cards, one per verb of the campaign
card-headline-celebrer = Way to go!
card-headline-reconnaitre = Hats off!
card-headline-oser = Go for it!
card-headline-investir = Keep going!
card-headline-reussir = You did it!
card-headline-encourager = Don’t give up!
card-headline-merci = Thank you!
card-to = For { $name }
card-from = — { $name }

## Suggested messages when the sender writes none
card-suggestion-1 = Your perseverance inspires me every day. Keep it up!
card-suggestion-2 = Every effort counts, and yours make all the difference.
card-suggestion-3 = I believe in you, today and for everything ahead!
card-suggestion-4 = It’s okay to find it hard… and you keep going anyway. Well done!
card-suggestion-5 = Step by step, you go far. I’m so proud of you!
card-suggestion-6 = Your courage in the face of challenges is a lesson for all of us.
card-suggestion-7 = A mistake is just one more step toward success. Don’t give up!
card-suggestion-8 = Thank you for being you: curious, determined and full of ideas!
card-suggestion-9 = You are making more progress than you think. Look how far you’ve come!
card-suggestion-10 = Perseverance takes you far, and you will go very far!
card-suggestion-11 = Dare to ask, dare to try: that’s how we learn.
card-suggestion-12 = Today’s efforts are tomorrow’s successes.
card-suggestion-13 = You bring such great energy to your projects. Keep going!
card-suggestion-14 = You are not alone: a whole team believes in you.

## Ribbon badge
badge-title = I wear the ribbon
badge-number = #{ $number }
badge-subtitle = for perseverance in school

## Class badge
class-badge-title = { $kind ->
    [groupe] Our group is in!
   *[classe] Our class is in!
}
class-badge-count =
    { $count ->
        [one] { $formatted } pledge
       *[other] { $formatted } pledges
    }
class-badge-more = { $count ->
    [one] + { $formatted } other
   *[other] + { $formatted } others
}

## Certificate
certificate-title = Certificate of Recognition
certificate-subtitle = for perseverance in school
certificate-presented = presented to
certificate-given-by = Presented by
certificate-signature = Signature
certificate-date = Date

## Dates written out
date-long = { $weekday }, { $month } { $day }, { $year }
date-day = { $day }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Between campaigns (no edition announced): nothing from a past year on images
hashtag-no-campaign = #persévérancescolaire

## Suggested messages per design (at least three each), picked at random for each card.
## They speak the theme: efforts, tries, mistakes, starting again.
card-suggestion-celebrer-1 = You tried, started again, and made it. Let’s celebrate!
card-suggestion-celebrer-2 = Every small step counts, and today we celebrate all of yours!
card-suggestion-celebrer-3 = Your efforts paid off. Way to go for persevering!
card-suggestion-reconnaitre-1 = I saw all the effort you put in. It really counts.
card-suggestion-reconnaitre-2 = You made mistakes, you started again, and you got better. Hats off!
card-suggestion-reconnaitre-3 = Your work, day after day, does not go unnoticed. Thank you for your efforts!
card-suggestion-oser-1 = Trying is already moving forward. Go for it, even if it isn’t perfect!
card-suggestion-oser-2 = A mistake is proof that you dared to try. Keep going!
card-suggestion-oser-3 = It’s okay to get it wrong: trying is how we learn. Go for it!
card-suggestion-investir-1 = Every effort you make today takes you further tomorrow.
card-suggestion-investir-2 = When it gets hard, you start again. That’s perseverance!
card-suggestion-investir-3 = Today’s tries are getting you ready for tomorrow’s successes. Keep going!
card-suggestion-reussir-1 = You made it because you didn’t give up. Well done!
card-suggestion-reussir-2 = Behind this success are your tries, your mistakes and your courage.
card-suggestion-reussir-3 = You started again as many times as it took, and you got there!
card-suggestion-encourager-1 = It’s okay to find it hard. Take your time, then start again.
card-suggestion-encourager-2 = Mistakes are part of the road. Don’t give up, I believe in you!
card-suggestion-encourager-3 = One effort at a time, you’re moving forward. I’m here cheering you on!
# Thank you: for the adults around a young person (parents, teachers, coaches, employers); picked at random, so they fit any of them.
card-suggestion-merci-1 = Thank you for being there for me, on the good days and the hard ones.
card-suggestion-merci-2 = Thank you for believing in me, even on the days I doubt myself.
card-suggestion-merci-3 = Thank you for your patience, and for explaining things again whenever I need it.
card-suggestion-merci-4 = Thank you for helping me dare to raise my hand and ask questions.
card-suggestion-merci-5 = Thank you for teaching me that a mistake is just a step toward doing even better.
card-suggestion-merci-6 = Thank you for cheering me on at every practice, even when I miss.
card-suggestion-merci-7 = Thank you for helping me make time to learn: it helps me keep going.
card-suggestion-merci-8 = Thank you for cheering me on, one small step at a time.

# The Jeudi perséVERT photo frame (/vert).
green-title = Jeudi perséVERT
