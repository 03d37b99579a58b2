# Refusals and errors: always kind, always with an example that works.

error-unknown-command = I don't know this command. Try "/help".
error-card-needs-name = Who is the card for? Example: /card "Lea" encourage "Don't give up!"
error-name-too-long = This name is too long ({ $got } characters, at most { $max }). Example: /card "Lea"
error-message-too-long = This message is too long ({ $got } characters, at most { $max }). Try a shorter one.
error-empty = The text is missing. Example: /card "Lea" "Well done!"
error-unknown-design = I don’t know this design. Pick a number from 1 to 7 or: celebrate, recognize, dare, invest, succeed, encourage, thanks.
error-moderation = Oops! This text has words we can't put on a card. Try kind words. 💚
error-link = Oops! Cards can't carry links. Write a kind word instead. 💚
error-not-a-name = That word can't be used as a first name. Please write a real first name.
error-slow-down = Easy there! You are going a bit fast. Try again in a minute. 🐢
error-daily-cap = You sent lots of cards today! Come back tomorrow to send more. 💚
error-class-needs-name = Give the class a name. Example: /class "Grade 5 B"
error-class-not-allowed = Only the group's organizers can open a class.
error-class-none-open = No class is open here. Example: /class "Grade 5 B"
error-class-closed = This class is done. Thanks for taking part! 💚
error-class-not-owner = Only the person who opened the class can close it.
error-class-already-open = A class is already open here: "{ $class }". Close it with "/class close".
error-organizers-only = This command is for organizers only.
error-unknown-language = I speak French and English. Example: /language en
error-unknown-button = This button is no longer active.
error-internal = Oops, a problem on my side. Try again in a moment.
error-busy = Lots of people at once! Try again in a moment.
error-invalid-input = Oops, I can’t read that request: it has characters I don’t recognize. Try again with ordinary letters and numbers. 💚

# Moderation: a refusal says kindly why, by category, and never quotes the text.
error-moderation-insult = We don't send messages that can hurt someone's feelings. Words that put people down hurt, even as a joke. Try a word of encouragement! 💚
error-moderation-body-shaming = We never make fun of someone's body: everyone is fine just the way they are. Try saying what you like about them instead! 💚
error-moderation-exclusion = Everyone deserves a place. A message that leaves someone out hurts. Try a word that invites or encourages! 💚
error-moderation-threat = This message could scare someone. Cards only carry words that make people feel good. If someone is scaring you, talk to an adult you trust. 💚
error-moderation-self-harm = We don't send messages about hurting yourself. Every person matters, and so do you. If things are hard, people can listen: I'm sending you their numbers privately. 💚
error-moderation-hate = Everyone deserves respect, no matter where they come from, their colour, their religion or who they love. Try a word that brings people together! 💚
error-moderation-sexual = This message talks about things that don't belong on a card. If someone asks you for things like that, talk to an adult you trust. 💚
error-moderation-vulgarity = Oops! This message has swear words. Try kind words: they work even better! 💚
error-moderation-uncertain = This message might hurt someone's feelings, even if you don't mean it to. Can you say it another way, with words that encourage? 💚
error-moderation-help-lines = If things are hard, you are not alone. You can talk to someone, for free, day and night:
    • Kids Help Phone: 1 800 668-6868, or text 686868
    • Tel-jeunes (in French): 1 800 263-2266, or text 514 600-1002
    If you are in danger, call 911. 💚
error-moderation-write-privately = I have an important message for you, but I can't write to you privately. Write to me directly in a private chat with me. 💚
error-card-blocked = You can’t send cards for the rest of this campaign: several of your cards hurt someone. Talk about it with an adult at your school.
error-undrawable = Oops! I can’t draw “{ $char }” on a card yet. Try without it! 💚
error-class-approval-not-allowed = Only the people in charge of the group can choose to approve messages first.
error-class-teacher-not-allowed = Only the people in charge of the group can get teacher access.
error-class-teacher-none = This class was opened before teacher access existed. Close it and open a new one to get teacher access.
error-certificate-not-allowed = Only the people in charge of the group can hand out a certificate. Write to me privately to prepare one.
error-certificate-needs-name = Who is this certificate for? Example: /certificate "Élodie" for her courage in reading
error-reason-too-long = This reason is too long ({ $got } characters, at most { $max }). Try a shorter reason.
error-certificates-none = Write at least one first name, one per line.
error-certificates-too-many = That is a lot for one class: at most { $max } certificates at a time.
error-certificates-line = Line { $line }: { $why }

error-photo-unreadable = I can’t read this photo. Try a JPEG or PNG photo.
error-photo-too-large = This photo is too large (over { $max } megapixels). Try a smaller one.
error-seats-range = Enter a number of students between 1 and { $max }.

# The same refusals for adults in their professional role (the dashboard, the teacher page).
error-moderation-insult-vous = This text contains demeaning words: it cannot be shown. Please rephrase it.
error-moderation-body-shaming-vous = This text mocks someone's body: it cannot be shown. Please rephrase it.
error-moderation-exclusion-vous = This text leaves someone out: it cannot be shown. Please rephrase it.
error-moderation-threat-vous = This text contains a threat: it cannot be shown. Please rephrase it.
error-moderation-self-harm-vous = This text refers to self-harm: it cannot be shown. If a student is in distress, Kids Help Phone answers day and night at 1-800-668-6868.
error-moderation-hate-vous = This text contains hateful words: it cannot be shown. Please rephrase it.
error-moderation-sexual-vous = This text contains sexual content: it cannot be shown. Please rephrase it.
error-moderation-vulgarity-vous = This text contains vulgar words: it cannot be shown. Please rephrase it.
error-moderation-uncertain-vous = This text might hurt someone: it cannot be shown as it is. Please rephrase it.
error-link-vous = A link cannot appear on a card, a badge or a certificate. Please remove it.
error-not-a-name-vous = That word cannot be used as a first name. Please write a first name.
error-busy-vous = Many requests are arriving at once. Please try again in a moment.
error-internal-vous = Something went wrong on our side. Please try again in a moment.
error-empty-vous = The text is missing. Please fill it in.
ribbon-no-campaign-vous = The next Journées de la persévérance scolaire is not on file yet: pledges resume as soon as its campaign file is added (ruban campaign new).
