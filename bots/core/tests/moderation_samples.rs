//! The examples issue 14 measured: the hurtful messages the old filter let through are refused
//! now, and kind messages full of Quebec slang still pass. The full corpus, with figures per
//! category and language, is `moderation_corpus.rs`.

use ruban_core::moderation::check;

const HURTFUL: &[&str] = &[
    "t'es laid",
    "T’ES LAITTE",
    "nobody likes you",
    "tue-toi",
    "kys",
    "retourne dans ton pays",
    "va chier",
    "t'es un c o n",
    "personne t'aime",
    "je vais te casser la gueule",
    "you're so fat",
    "go back to your country",
];

const KIND: &[&str] = &[
    "Ton dessin est malade!",
    "t'es capotant",
    "Lâche pas, tu es capable!",
    "c'est écoeurant ce que tu as fait",
    "t'es pas nul du tout",
    "you are not stupid, you are brilliant",
    "Bravo pour ton concours de Scunthorpe",
    "Salut de Sainte-Anne-des-Monts et de Chicoutimi!",
    "Ta classe est vraiment hot",
    "You killed it at the game!",
    "Merci pour ton assistance en classe",
    "Je suis fier de toi, continue tes efforts en mathématiques",
];

#[test]
fn the_measured_hurtful_messages_are_refused_and_kind_slang_passes() {
    let let_through: Vec<&&str> = HURTFUL.iter().filter(|m| check(m).is_ok()).collect();
    let refused: Vec<(&&str, String)> =
        KIND.iter().filter_map(|m| check(m).err().map(|c| (m, format!("{c:?}")))).collect();
    println!(
        "hurtful refused {}/{}, kind refused {}/{}",
        HURTFUL.len() - let_through.len(),
        HURTFUL.len(),
        refused.len(),
        KIND.len()
    );
    assert!(let_through.is_empty(), "hurtful messages let through: {let_through:?}");
    assert!(refused.is_empty(), "kind messages refused: {refused:?}");
}
