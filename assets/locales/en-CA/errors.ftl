# Refusals and errors: always kind, always with an example that works.

error-unknown-command = I don't know this command. Try "/help".
error-card-needs-name = Who is the card for? Example: /card "Lea" encourage "Don't give up!"
error-name-too-long = This name is too long ({ $got } characters, at most { $max }). Example: /card "Lea"
error-message-too-long = This message is too long ({ $got } characters, at most { $max }). Try a shorter one.
error-empty = The text is missing. Example: /card "Lea" "Well done!"
error-unknown-design = I don't know this design. Pick a number from 1 to 6 or: celebrate, recognize, dare, invest, succeed, encourage.
error-moderation = Oops! This text has words we can't put on a card. Try kind words. 💚
error-link = Oops! Cards can't carry links. Write a kind word instead. 💚
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
error-invalid-input = Oops, I can’t read that request: it has characters I don’t recognize. Try again with ordinary letters and numbers. 💚
