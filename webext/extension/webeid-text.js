// eidbridge content script, Web eID page protocol: the messages of the
// failures a page may show the citizen, in the page's language (the
// same words as eidbridge's Web eID native host, nmhost/i18n). Failures
// that are the site's own bug (a bad argument) keep the agent's English.
"use strict";

const WEBEID_TEXT = Object.freeze({
  en: {
    AGENT_UNAVAILABLE:
      "eidbridge is not installed, not running, or does not accept this site. Install or start it and try again; the command eidbridge origins lists the sites you allowed or refused.",
    BUSY: "Your eID card is being used for another request. Try again when it is done.",
    CARD_REMOVED: "The card was removed before the operation finished. Insert it and try again.",
    CERTIFICATE_MISMATCH:
      "The certificate the website gave is not the one on the card in the reader. Insert the card you chose before and try again.",
    INTERNAL: "Something went wrong inside eidbridge. Try again; the eidbridge log has the details.",
    NO_CARD: "No eID card is in the reader. Insert your eID card and try again.",
    NO_READER: "No card reader is connected. Connect your reader, insert your eID card and try again.",
    PIN_BLOCKED: "Your PIN is blocked after three wrong attempts. Your municipality unblocks it with your PUK code.",
    RATE_LIMITED: "The website sent too many requests. Wait a moment and try again.",
    UNSUPPORTED_CARD:
      "The card in the reader is not a Belgian eID card that eidbridge can use, or it lacks the certificate this needs (Kids-ID cards have none).",
    USER_CANCELLED: "The operation was cancelled.",
    USER_TIMEOUT: "No answer was given in time, so the operation was stopped.",
    failed: "eidbridge could not finish the operation. Try again; if it keeps failing, the command eidbridge doctor says what is wrong.",
  },
  nl: {
    AGENT_UNAVAILABLE:
      "eidbridge is niet geïnstalleerd, niet gestart of aanvaardt deze website niet. Installeer of start het en probeer het opnieuw; het commando eidbridge origins toont de websites die u hebt toegestaan of geweigerd.",
    BUSY: "Uw eID-kaart wordt gebruikt voor een ander verzoek. Probeer het opnieuw wanneer dat klaar is.",
    CARD_REMOVED: "De kaart werd verwijderd voordat de bewerking klaar was. Steek ze opnieuw in de kaartlezer en probeer het opnieuw.",
    CERTIFICATE_MISMATCH:
      "Het certificaat dat de website gaf, is niet dat van de kaart in de kaartlezer. Steek de kaart in die u eerder koos en probeer het opnieuw.",
    INTERNAL: "Er ging iets mis in eidbridge. Probeer het opnieuw; het logboek van eidbridge bevat de details.",
    NO_CARD: "Er zit geen eID-kaart in de kaartlezer. Steek uw eID-kaart erin en probeer het opnieuw.",
    NO_READER: "Er is geen kaartlezer aangesloten. Sluit uw kaartlezer aan, steek uw eID-kaart erin en probeer het opnieuw.",
    PIN_BLOCKED: "Uw pincode is geblokkeerd na drie foute pogingen. Uw gemeente deblokkeert ze met uw PUK-code.",
    RATE_LIMITED: "De website stuurde te veel verzoeken. Wacht even en probeer het opnieuw.",
    UNSUPPORTED_CARD:
      "De kaart in de kaartlezer is geen Belgische eID-kaart die eidbridge kan gebruiken, of ze heeft niet het certificaat dat hiervoor nodig is (een Kids-ID heeft er geen).",
    USER_CANCELLED: "De bewerking werd geannuleerd.",
    USER_TIMEOUT: "Er werd niet op tijd geantwoord, dus de bewerking werd gestopt.",
    failed: "eidbridge kon de bewerking niet voltooien. Probeer het opnieuw; als het blijft mislukken, toont het commando eidbridge doctor wat er mis is.",
  },
  fr: {
    AGENT_UNAVAILABLE:
      "eidbridge n'est pas installé, pas lancé ou n'accepte pas ce site. Installez-le ou lancez-le et réessayez ; la commande eidbridge origins affiche les sites que vous avez autorisés ou refusés.",
    BUSY: "Votre carte eID est utilisée pour une autre demande. Réessayez quand celle-ci sera terminée.",
    CARD_REMOVED: "La carte a été retirée avant la fin de l'opération. Insérez-la et réessayez.",
    CERTIFICATE_MISMATCH:
      "Le certificat fourni par le site n'est pas celui de la carte qui se trouve dans le lecteur. Insérez la carte choisie auparavant et réessayez.",
    INTERNAL: "Une erreur s'est produite dans eidbridge. Réessayez ; le journal d'eidbridge contient les détails.",
    NO_CARD: "Aucune carte eID ne se trouve dans le lecteur. Insérez votre carte eID et réessayez.",
    NO_READER: "Aucun lecteur de carte n'est connecté. Connectez votre lecteur, insérez votre carte eID et réessayez.",
    PIN_BLOCKED: "Votre code PIN est bloqué après trois essais erronés. Votre commune le débloque avec votre code PUK.",
    RATE_LIMITED: "Le site a envoyé trop de demandes. Patientez un instant et réessayez.",
    UNSUPPORTED_CARD:
      "La carte qui se trouve dans le lecteur n'est pas une carte eID belge qu'eidbridge peut utiliser, ou elle n'a pas le certificat nécessaire (une Kids-ID n'en a pas).",
    USER_CANCELLED: "L'opération a été annulée.",
    USER_TIMEOUT: "Aucune réponse n'a été donnée à temps ; l'opération a donc été arrêtée.",
    failed: "eidbridge n'a pas pu terminer l'opération. Réessayez ; si le problème persiste, la commande eidbridge doctor indique ce qui ne va pas.",
  },
  de: {
    AGENT_UNAVAILABLE:
      "eidbridge ist nicht installiert, läuft nicht oder akzeptiert diese Website nicht. Installieren oder starten Sie es und versuchen Sie es erneut; der Befehl eidbridge origins zeigt die Websites, die Sie erlaubt oder abgelehnt haben.",
    BUSY: "Ihr eID-Ausweis wird gerade für eine andere Anfrage verwendet. Versuchen Sie es erneut, wenn diese abgeschlossen ist.",
    CARD_REMOVED: "Die Karte wurde entfernt, bevor der Vorgang abgeschlossen war. Stecken Sie sie wieder ein und versuchen Sie es erneut.",
    CERTIFICATE_MISMATCH:
      "Das Zertifikat, das die Website übermittelt hat, ist nicht das der Karte im Kartenleser. Stecken Sie die zuvor gewählte Karte ein und versuchen Sie es erneut.",
    INTERNAL: "In eidbridge ist ein Fehler aufgetreten. Versuchen Sie es erneut; das Protokoll von eidbridge enthält die Einzelheiten.",
    NO_CARD: "Im Kartenleser steckt kein eID-Ausweis. Stecken Sie Ihren eID-Ausweis ein und versuchen Sie es erneut.",
    NO_READER: "Es ist kein Kartenleser angeschlossen. Schließen Sie Ihren Kartenleser an, stecken Sie Ihren eID-Ausweis ein und versuchen Sie es erneut.",
    PIN_BLOCKED: "Ihr PIN-Code ist nach drei falschen Versuchen gesperrt. Ihre Gemeinde entsperrt ihn mit Ihrem PUK-Code.",
    RATE_LIMITED: "Die Website hat zu viele Anfragen gesendet. Warten Sie einen Moment und versuchen Sie es erneut.",
    UNSUPPORTED_CARD:
      "Die Karte im Kartenleser ist kein belgischer eID-Ausweis, den eidbridge verwenden kann, oder ihr fehlt das dafür nötige Zertifikat (eine Kids-ID hat keines).",
    USER_CANCELLED: "Der Vorgang wurde abgebrochen.",
    USER_TIMEOUT: "Es wurde nicht rechtzeitig geantwortet, daher wurde der Vorgang beendet.",
    failed: "eidbridge konnte den Vorgang nicht abschließen. Versuchen Sie es erneut; wenn es weiterhin fehlschlägt, zeigt der Befehl eidbridge doctor, was nicht stimmt.",
  },
});

// textLang is the catalogue for a language tag ("nl-BE" → "nl"), English
// for any other language.
function textLang(tag) {
  const primary = String(tag || "").split("-")[0].toLowerCase();
  return Object.hasOwn(WEBEID_TEXT, primary) ? primary : "en";
}

// webeidText is key's message in the tag's language; undefined for a key
// without one (a bad argument: the agent's own message says which).
function webeidText(tag, key) {
  const texts = WEBEID_TEXT[textLang(tag)];
  return Object.hasOwn(texts, key) ? texts[key] : undefined;
}
