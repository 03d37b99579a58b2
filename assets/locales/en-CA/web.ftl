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
web-photo = Send a photo in green (/green)
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
wall-page-green = The green wave: { $count ->
    [one] { $formatted } photo in green
   *[other] { $formatted } photos in green
} (/green)
wall-page-latest = Latest pledges
wall-page-messages = Messages of support
wall-page-regions = By region
wall-page-join = Pledge too: scan the code!
wall-page-switch = Français
wall-page-empty = Be the first to wear the ribbon!

## Organizer dashboard
dash-title = Dashboard — organizers
dash-login-title = Organizer sign-in
dash-login-token = Access token
dash-login-submit = Sign in
dash-login-bad = This token is not valid. Check it and try again.
dash-login-slow = Too many tries. Wait a minute, then try again.
dash-logout = Sign out
dash-scope-all = The whole campaign
dash-scope-region = Region: { $name }
dash-scope-organization = Organization: { $name }
dash-total = Pledges
dash-total-split = (young people: { $youth }; adults: { $adult }; self-reported)
dash-cards = Cards sent
dash-classes = Classes that pledged
dash-by-day = By day
dash-by-region = By region
dash-by-organization = By organization
dash-by-platform = By platform
dash-by-chat = By conversation
dash-col-day = Day
dash-col-region = Region
dash-col-organization = Organization
dash-col-platform = Platform
dash-region-none = Region not given
dash-organization-none = Organization not given
dash-col-pledges = Pledges
dash-persevert = Jeudi perséVERT
dash-downloads = Downloads
dash-download-csv = CSV (Excel)
dash-download-json = JSON
dash-download-pledges = Pledges one by one (CSV)
dash-download-xlsx = Excel workbook (every figure, with a chart)
dash-download-csv-fr = CSV for Excel in French (;)
dash-moderation = Wall messages to moderate
dash-moderation-empty = No message yet.
dash-hide = Hide
dash-show = Show again
dash-hidden = hidden
dash-moderation-scoped = Moderating the wall is for whole-campaign tokens.
wall-bad-filter = This wall link isn’t valid: check the address or ask for a new link.
dash-login-unavailable = Signing in isn’t possible right now. Try again in a moment.

# The front page when the playground is closed (a server open to the Internet).
web-closed-title = Ruban, for the Journées de la persévérance scolaire
web-closed-text = Ruban is waiting for you on Telegram and Discord. In class, your teacher gives you your class link.
web-closed-wall = See the wall of encouragement

# The class link (/classe/CODE): pupils pledge one after the other on a school device.
classlink-title = { $kind ->
    [groupe] Group
   *[classe] Class
} “{ $class }”
classlink-intro = One after the other, each student presses the button to wear the green-and-white ribbon of school perseverance.
classlink-pledge = I pledge
classlink-next = Then hand the device to the next student.
classlink-name = Your first name (if you like)
classlink-name-why = It will be written on the class badge, then erased when the class finishes its pledge.
classlink-thanks = Thank you, it counts!
classlink-again = Press again
classlink-slow = Not counted yet: the device waits 2 seconds between two students.
classlink-error = Oops, that didn’t work. Try again.
classlink-no-device = This page was opened somewhere else. Reload it, then press the button again.
classlink-closed = This class has finished its pledge. Thank you, everyone!
classlink-unknown-title = Class link not found
classlink-unknown = This class link doesn’t exist. Ask your teacher for the right link.
classlink-card-title = A card for a classmate
classlink-card-to = Their first name
classlink-card-design = The design
classlink-card-message = Your message (if you like)
classlink-card-send = Make the card
classlink-card-alt = The encouragement card
classlink-card-download = Download the card
classlink-green-title = Jeudi perséVERT: your photo in green
classlink-green-photo = Your photo
classlink-green-why = It comes back framed in the ribbon’s colours. Ruban never keeps your photo: it only counts one more photo in the green wave.
classlink-green-send = Frame my photo
classlink-green-download = Download my photo
classlink-green-too-big = This photo is too big (over { $max } MB). Try a smaller one.
dash-classes-open = Open classes
dash-classes-open-empty = No open class yet.
dash-class-facts = { $count ->
    [one] { $formatted } pledge
   *[other] { $formatted } pledges
}, opened { $date } ({ $origin })
dash-class-origin-dashboard = dashboard
dash-class-origin-web = web page
dash-class-renew = New link
dash-class-renew-why = A link shared too widely is renewed here: the old one stops working at once.
dash-class-name = Name of the class or group
dash-class-group = It is a group (CEGEP, adult education, workplace)
dash-class-open = Open the class
dash-class-open-refused = The class could not be opened
dash-class-close = Close and get the badge
dash-class-sheet = Printable sheet
dash-class-sheet-how = Open this link on the class’s device (or scan the QR code): each student in turn presses “I pledge”, then hands the device to the next student. No account, no email address.
dash-class-sheet-keep = Keep this link within the class: anyone who has it can add pledges. If it gets shared too widely, ask the organizers to renew it.
dash-class-badge-download = Download the class badge
dash-back = Back to the dashboard
dash-reports = Reported cards
dash-reports-empty = No card reported.
dash-report-suggested = (message suggested by Ruban)
dash-report-state-open = to review
dash-report-state-hidden = hidden
dash-report-state-restored = restored
dash-report-state-blocked = sender blocked
dash-report-strikes = { $count ->
    [one] { $count } reported card from this sender
   *[other] { $count } reported cards from this sender
}
dash-report-blocked = blocked for the campaign
dash-report-hide = Keep hidden
dash-report-restore = Restore
dash-report-block = Block the sender
dash-approve = Approve
dash-awaiting = awaiting approval
wall-pledge-named = { $name } is wearing the ribbon
wall-pledge-anonymous = Someone is wearing the ribbon
wall-page-messages-empty = Messages of encouragement will appear here.

# « Signaler » on the wall page (issue 14): anyone looking may press it.
wall-report = Report
wall-report-label = Report this message to an adult
wall-report-title = Message reported
wall-report-thanks = Thank you for telling us! This message is off the wall. An adult from the campaign will look at it.
wall-report-gone = This message is no longer on the wall.
wall-report-too-many = You have already reported several messages in the last hour. If a message upsets you, talk to an adult about it.
wall-report-refused = This button only works from the wall page.
wall-report-back = Back to the wall
dash-report-from-wall = Reported from the wall page: counts as a strike only if you keep it hidden.
teacher-title = Teacher page — { $class }
teacher-keep = This link is for you only: don’t share it with students. Anyone who has it can approve the class’s messages.
teacher-members = { $count ->
    [one] pledge in the class
   *[other] pledges in the class
}
teacher-closed = This class is closed: you can still approve or keep hidden the messages that are waiting.
teacher-approval-on = The class’s messages wait for your approval before they appear on the wall of support.
teacher-approval-off = The class’s messages appear on the wall of support at once.
teacher-approval-turn-on = Ask for my approval first
teacher-approval-turn-off = Stop asking for my approval
teacher-queue = Messages waiting
teacher-queue-empty = No message is waiting for your approval.
teacher-approve = Approve
teacher-hide = Keep hidden
teacher-held = Cards to read before they go out
teacher-held-why = These messages are neither clearly kind nor clearly hurtful: they wait for your decision. Nothing is drawn or sent without your approval.
teacher-held-to = For { $name }
teacher-held-send = Approve and send
teacher-held-drop = Don't send
teacher-held-ready = Card approved. You can show it to the pupil or download it to print.
teacher-held-download = Download the card
teacher-held-back = Back to the class page
dash-held = Cards to read before they go out, every class
dash-held-empty = No card is waiting for a decision.
dash-held-back = Back to the dashboard
teacher-gone = This link doesn’t lead to any class. Ask for access with /class teacher in the class’s group, or ask the organizers if the class was opened from the dashboard.
dash-class-teacher = Teacher access
teacher-class-link = Class link
teacher-renew-why = If this link was shared beyond the class, renew it: the old one, including the one in the class message, stops working at once. Then open the new one on the class’s device.
teacher-renew = New class link
teacher-seats-title = Students without a device
teacher-seats-why = Your class pledged, but some students had no device? Enter how many students in all did not pledge themselves: they are counted in the green wave, on the wall and in the totals, with no names. Always enter the total (24, then 26 if two were missing): nobody is counted twice.
teacher-seats-label = Number of students
teacher-seats-record = Record the pledge
teacher-seats-download = Download the class badge
teacher-back = Back to the class page
dash-certificates = Certificates handed out
dash-green-photos = Photos in green (Jeudi perséVERT, /green)
dash-certificates-title = Certificates for a class
dash-certificates-why = The first names are used only to draw the certificates: Ruban does not keep them, it only counts the certificates handed out.
dash-certificates-names = Students’ first names, one per line
dash-certificates-reason = Reason (optional)
dash-certificates-giver = Handed out by
dash-certificates-make = Download the PDF to print
dash-certificates-refused = The certificates could not be prepared
dash-certificates-file = certificates.pdf
dash-certificates-make-zip = Download the images (ZIP of PNGs)
dash-certificates-zip-file = certificates.zip

## The organizers' Excel workbook (sheet names: 31 characters at most)
xlsx-summary = Summary
xlsx-figure = Measure
xlsx-count = Count
xlsx-pledges = Pledges
xlsx-pledges-thursday = Pledges on Jeudi perséVERT
xlsx-youth = – young people
xlsx-adult = – adults
xlsx-unsaid = – not stated
xlsx-classes = Classes and groups
xlsx-cards = Cards sent
xlsx-certificates = Certificates handed out
xlsx-green-photos = Photos in green (/green)
xlsx-by-day = By day
xlsx-day = Day
xlsx-persevert = Jeudi perséVERT
xlsx-yes = Yes
xlsx-by-region = By region
xlsx-code = Code
xlsx-region = Region
xlsx-by-organization = By organization
xlsx-organization = Organization
xlsx-by-platform = By platform
xlsx-platform = Platform
xlsx-chart = Chart
xlsx-chart-title = The green wave, day by day
web-too-many-misses = Too many links that open nothing were tried from here. Try again in a minute.
dash-no-next-campaign = The { $year } campaign is over and no next campaign is on file: pledges are refused until your technical team adds one (ruban campaign new).
teacher-names-title = First names for the class badge
teacher-names-why = Students may type their first name when they pledge. The names are drawn on the badge when the class finishes its pledge, then erased. Remove any that should not be there (the pledge still counts).
teacher-names-empty = No first names yet.
teacher-names-remove = Remove "{ $name }"

## The campaign's one-page report (dashboard, ruban report)
report-title = Campaign report { $year }
report-pledges = pledges
report-cards = cards sent
report-classes = classes and groups pledged
report-certificates = certificates given
report-green = photos in green (PerséVERT Thursday)
report-percent = { $n }%
report-youth-share = young people among those who gave their age
report-by-day = Pledges by day
report-by-region = Pledges by region
report-ages = Young people and adults
report-youth = Young people
report-adults = Adults
report-age-unsaid = Age not given
report-footer = Made on { $date } by Ruban, from the pledges recorded.
report-file = campaign-report.pdf
dash-download-report = The campaign on one page (PDF, to print)
