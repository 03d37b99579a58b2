# The web playground: chat with Ruban in a page.

web-title = Ruban — playground
web-heading = Chat with Ruban
web-intro = Try every command as in Telegram or Discord. Switch people to play several students of one class.
web-you-are = You are
web-name-placeholder = Your first name
web-chat = Group
web-language = Language
web-input-label = Your message
web-input-placeholder = Type a command, for example /card Lea
web-send = Send
web-examples = Examples to click
web-example-card = /card "Lea" encourage "Don't give up, you can do it!"
web-example-ribbon = /ribbon Zoe
web-example-class = /class "Grade 5 B"
web-example-wall = /wall
web-example-help = /help
web-bot-name = Ruban
web-error = The message could not be sent. Try again.

## The live wall of support (projector)
wall-page-title = The wall of support
wall-page-counter =
    { $count ->
        [one] person wears the ribbon
       *[other] people wear the ribbon
    }
wall-page-today = Today: { $formatted }
wall-page-persevert = It's Jeudi perséVERT! Everyone in green! 💚
wall-page-latest = Latest pledges
wall-page-messages = Messages of support
wall-page-regions = By region
wall-page-join = Pledge too: scan the code!
wall-page-switch = Français
wall-page-empty = Be the first to wear the ribbon!
