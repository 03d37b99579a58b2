# Textes dessinés sur les images (cartes, badges, certificats).
# Les valeurs insérées ne sont pas isolées (pas de marques bidi) : elles sont dessinées.

## Les six cartes, une par verbe de la campagne
card-headline-celebrer = Bravo!
card-headline-reconnaitre = Chapeau!
card-headline-oser = Fonce!
card-headline-investir = Continue!
card-headline-reussir = Mission accomplie!
card-headline-encourager = Lâche pas!
card-to = Pour { $name }
card-from = — { $name }

## Messages suggérés quand la personne n’en écrit pas
card-suggestion-1 = Ta persévérance m’inspire chaque jour. Continue comme ça!
card-suggestion-2 = Chaque effort compte, et les tiens font toute la différence.
card-suggestion-3 = Je crois en toi, aujourd’hui et pour la suite!
card-suggestion-4 = Tu as le droit de trouver ça difficile… et tu continues quand même. Bravo!
card-suggestion-5 = Pas à pas, tu vas loin. Je suis fier ou fière de toi!
card-suggestion-6 = Ton courage devant les défis est une belle leçon pour tout le monde.
card-suggestion-7 = Une erreur, c’est juste une étape de plus vers la réussite. Lâche pas!
card-suggestion-8 = Merci d’être toi : une personne curieuse, tenace et pleine d’idées!
card-suggestion-9 = Tu progresses plus que tu ne le crois. Regarde tout le chemin parcouru!
card-suggestion-10 = La persévérance, ça mène loin, et toi, tu iras très loin!
card-suggestion-11 = Ose poser tes questions, ose essayer : c’est comme ça qu’on apprend.
card-suggestion-12 = Tes efforts d’aujourd’hui sont tes réussites de demain.
card-suggestion-13 = Quelle belle énergie tu mets dans tes projets. Continue!
card-suggestion-14 = Tu n’es pas seul ni seule : toute une équipe croit en toi.

## Badge du ruban
badge-title = Je porte le ruban
badge-number = nº { $number }
badge-subtitle = pour la persévérance scolaire

## Badge de classe
class-badge-title = Notre classe s’engage!
class-badge-count =
    { $count ->
        [one] { $formatted } engagement
       *[other] { $formatted } engagements
    }
class-badge-more = + { $formatted } autres

## Certificat
certificate-title = Certificat de reconnaissance
certificate-subtitle = de la persévérance scolaire
certificate-presented = décerné à
certificate-given-by = Remis par
certificate-signature = Signature
certificate-date = Date

## Dates écrites en toutes lettres
date-long = { $weekday } { $day } { $month } { $year }
date-day = { $day ->
        [1] 1er
       *[other] { $day }
    }
weekday-1 = lundi
weekday-2 = mardi
weekday-3 = mercredi
weekday-4 = jeudi
weekday-5 = vendredi
weekday-6 = samedi
weekday-7 = dimanche
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre
