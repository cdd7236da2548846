#!/usr/bin/env python3
"""Regenerate the non-plain-UTF-8 sample documents in data/.

The entopic demo corpus includes three text files whose bytes matter as much as their words,
so they are written from this script rather than edited by hand (editors tend to strip BOMs or
silently re-encode):

  data/europe/russia-oil-sanctions.txt     UTF-8 with a byte order mark (EF BB BF)
  data/africa/sahel-fuel-and-juntas.txt    Windows-1252 (cp1252): 0x92 ’, 0x93/0x94 “ ”,
                                           0x96 –, 0x97 —, 0x80 €, 0xA0 no-break space, ô ï é
  data/asia/india-pakistan-ceasefire.txt   UTF-16 little-endian with BOM (FF FE), CRLF line ends

All text is original sample content written for this project; the events and quotations are
illustrative, not reporting. Run from anywhere:  python3 data/make_encoded.py
The script is idempotent: it overwrites the three files with identical bytes each time.
"""

from pathlib import Path

DATA = Path(__file__).resolve().parent

RUSSIA_OIL_SANCTIONS = """\
Washington Targets Russia’s Oil Giants as Peace Push Stalls

Analysis — Sanctions

The United States imposed sanctions on Rosneft and Lukoil, Russia’s two largest oil companies, in the most significant economic measure against Moscow since the start of the full-scale invasion of Ukraine. The decision, announced by the Treasury Department after a planned summit between President Donald Trump and President Vladimir Putin was called off, marked a sharp change in tone from a White House that had spent months trying to coax the Kremlin into a ceasefire.

Together the two companies account for roughly half of Russia’s crude exports. The sanctions freeze any assets they hold in U.S. jurisdiction and, more importantly, threaten foreign banks and traders that keep doing business with them with “secondary” penalties. Officials gave buyers about a month to wind down existing contracts.

Trump said he had cancelled the meeting in Budapest because he did not believe it would produce results, and that his conversations with Putin were “good” but “don’t go anywhere.” The Treasury secretary said further measures were possible if Moscow did not agree to an immediate ceasefire along the current front line.

Europe moves in step

The European Union adopted its nineteenth sanctions package in the same week. It bans imports of Russian liquefied natural gas from 2027, adds more vessels of the so-called shadow fleet to its blacklist and targets refineries and traders in third countries, including several in China and the UAE, that have handled Russian oil. The United Kingdom had already sanctioned both Rosneft and Lukoil.

European officials welcomed the U.S. move after months of frustration. “For the first time in a long while, the pressure is coming from both sides of the Atlantic at once,” said one diplomat in Brussels. The EU is also working on a plan to use frozen Russian central bank assets to fund a large loan to Ukraine, an idea that Belgium, where most of the money is held, has resisted over legal risks.

Where the oil goes

Since 2022 Russia has redirected most of its crude exports from Europe to Asia. India and China now take the bulk, buying at a discount through a network of intermediaries, insurers and tankers registered in small flag states. Indian refiners, which before the war bought almost no Russian oil, had become the largest seaborne customers, turning much of it into diesel and jet fuel that is then exported — in some cases to Europe.

That trade had already become a point of friction between Washington and New Delhi. Earlier in the year the U.S. doubled tariffs on many Indian goods, citing the oil purchases. Prime Minister Narendra Modi has defended India’s right to buy energy where it is cheapest, but several large Indian refiners said after the new sanctions that they would stop buying from Rosneft and Lukoil directly. Chinese state companies also paused some purchases, traders said, while smaller private refiners kept buying.

Moscow’s response

The Kremlin called the sanctions an “unfriendly act” that would damage any chance of improving relations. Putin said Russia would not bow to pressure and that the measures would push up global fuel prices, hurting American consumers. Former president Dmitry Medvedev, now deputy head of Russia’s Security Council, wrote online that the decision amounted to “an act of war”, a characteristic overstatement that Kremlin officials did not repeat.

Russia’s economy is already slowing. Growth has fallen close to zero, the central bank’s key rate remains far above 10 percent and the budget deficit is widening as military spending climbs. Prime Minister Mikhail Mishustin told the Duma that the government would raise value-added tax to fund defence and social programmes. Oil and gas revenue, which still provides about a quarter of the federal budget, has fallen steadily this year.

Will it work?

Economists are divided. Earlier rounds of sanctions have been softened by evasion: shell companies, ship-to-ship transfers and payments in yuan or dirhams. Rosneft and Lukoil could restructure sales through new intermediaries, as smaller Russian producers have done. But sanctions on the two biggest exporters are harder to work around, and the threat of secondary penalties raises the cost for every bank involved.

“The measure matters less for what it bans than for what it signals,” said Alexei Varga, an energy analyst in Vienna. “For three years buyers assumed that Washington did not really want to take Russian barrels off the market. That assumption is now in doubt.”

On the battlefield, neither side shows signs of easing. Russian forces continue slow advances in the Donetsk region, supported by glide bombs, artillery and waves of drones, while Ukraine has intensified long-range strikes on Russian refineries and oil terminals. Kyiv has asked Washington for Tomahawk cruise missiles to extend that campaign; the request has not been granted. President Volodymyr Zelenskyy welcomed the sanctions and said they showed that “pressure works.”
"""

SAHEL = """\
Sahel: Fuel, Gold and Guns as the Juntas Dig In

Dakar, 4 November — Three years after a wave of coups swept across the central Sahel, the military governments of Mali, Burkina Faso and Niger have consolidated their hold on power — and severed most of their ties with the West. But the insurgency they promised to defeat is stronger than ever, and the economic cost of their isolation is rising.

In Mali, a blockade by an al-Qaeda affiliate has choked fuel supplies to Bamako for weeks. Tanker convoys from the ports of Dakar and Abidjan, in Côte d’Ivoire, are attacked on the roads; dozens of trucks have been burned. Schools closed, power cuts stretched to most of the day, and the price of petrol on the black market passed the equivalent of €3 a litre. Western embassies told their citizens to leave.

A new alliance

The three juntas left the West African regional bloc, ECOWAS, at the start of the year and formed their own Alliance of Sahel States. They have expelled French troops, ended a UN peacekeeping mission in Mali and asked American forces to leave a drone base in Niger. In their place, Russian military instructors — first from the Wagner group, now under a unit controlled by the Russian defence ministry — support the Malian army.

Mali’s leader, General Assimi Goïta, has granted himself a five-year renewable mandate without elections. In Burkina Faso, Captain Ibrahim Traoré has become a hero to many young Africans online, who see him as standing up to former colonial powers. In Niger, General Abdourahamane Tiani has suspended the constitution and nationalised a French-run uranium mine.

“The juntas have been very good at the politics of sovereignty,” said Awa Diallo, a researcher who studies the region from Dakar. “They have been much less good at protecting villages.” Civilian deaths have risen sharply since the coups, according to conflict monitors, and human rights groups have accused both militants and soldiers of massacres.

Gold pays the bills

The juntas are funding their war partly with gold. Mali took control of a large mine from a Canadian company after a long dispute, and Burkina Faso has nationalised several smaller mines. Gold prices near record highs have helped, but revenues have not kept pace with military spending. Turkish armed drones and Russian helicopters are expensive, and Mali’s debt payments to regional lenders have fallen into arrears.

Neighbouring coastal states fear contagion. Jihadist groups have carried out attacks in the north of Benin and Togo, and security forces in Côte d’Ivoire and Ghana have increased patrols along their borders. Nigeria’s President Bola Tinubu, who chaired ECOWAS when Niger’s coup happened, initially threatened military action to restore the elected government in Niamey, but later backed away. Relations have since thawed slightly: Nigeria and Niger have reopened their border for trade.

Europe’s retreat

For France, the retreat from the Sahel has been a humiliating end to a decade of counter-terrorism operations (2013–2022). President Emmanuel Macron has shifted French policy toward smaller, less visible partnerships with coastal states. European aid programmes in the Sahel have been cut or suspended, although the EU still spends several hundred million euros a year in the region on humanitarian assistance. An EU official put the total pledged since 2014 at more than €8 billion.

Some European governments now argue for re-engagement. “We can disapprove of how these governments came to power and still recognise that a collapse in Mali would be a disaster for everybody, including us,” said one diplomat in Brussels. Migration through the Sahel toward North Africa and Europe has already increased, and officials worry about militants gaining a foothold near the Atlantic coast.

What comes next

Analysts say Bamako is unlikely to fall. The militants do not have the strength to take and hold a capital of several million people, and their goal seems to be to force the junta to negotiate. But the blockade has exposed how thin the state’s control is beyond the main towns. In Burkina Faso, the government is believed to control less than half of the national territory.

For ordinary people the question is simpler. “We used to worry about the rains,” said a trader in Ségou, reached by phone. “Now we worry about the roads, the fuel, the army and the jihadists. The rains are the least of it.”
"""

INDIA_PAKISTAN = """\
India and Pakistan: Six Months After the Four-Day War

Analysis — South Asia

Six months after India and Pakistan fought their most serious military clash in half a century, the ceasefire between the two nuclear-armed neighbours is holding. But diplomats on both sides say there is no peace process to speak of, and the risk that a single terrorist attack could set off another round of fighting is higher than before.

The crisis began in April, when gunmen killed 26 people, most of them tourists, near Pahalgam in Indian-administered Kashmir. India blamed Pakistan-based militants and, two weeks later, launched “Operation Sindoor”, a series of missile and air strikes on what it said were terrorist camps in Pakistan and Pakistani-administered Kashmir. Pakistan denied any role in the attack and retaliated. Over four days the two militaries exchanged fire with drones, artillery, fighter jets and missiles, including India’s BrahMos cruise missile and Pakistani Fatah rockets, before agreeing to stop on 10 May.

Competing stories

Both governments claimed victory. Prime Minister Narendra Modi told Indian voters that the strikes had shown the country would no longer tolerate cross-border terrorism, and that any future attack would be treated as an act of war. Modi has insisted that the ceasefire was agreed directly between the two militaries, rejecting claims by Washington that American mediation had been decisive.

In Islamabad, Prime Minister Shehbaz Sharif hailed the armed forces for shooting down several Indian aircraft, a claim India has only partly acknowledged. Sharif’s government promoted the army chief, Asim Munir, to the rank of field marshal, strengthening his position as the most powerful man in the country. President Asif Ali Zardari signed the promotion in a ceremony attended by the entire cabinet.

The crisis briefly revived the popularity of Pakistan’s civilian leaders, but the opposition remains in turmoil. Former prime minister Imran Khan is still in prison, and his party says he is being held on politically motivated charges. Nawaz Sharif, the prime minister’s elder brother and a three-time former premier, has kept a low public profile.

Water and weapons

The most consequential decision of the crisis may prove to be India’s suspension of the Indus Waters Treaty, which has governed the sharing of river water between the two countries since 1960. Pakistan depends on the Indus system for most of its farming, and officials in Islamabad have said that any attempt to divert or block its flow would be treated as an act of war. India says it is reviewing the treaty and plans to build new dams and canals.

Both countries are also drawing military lessons. Pakistan’s air force relied heavily on Chinese-made J-10 fighters and PL-15 air-to-air missiles, and Beijing has since offered more advanced aircraft. India is speeding up purchases of air defence systems, including more S-400 batteries from Russia, and is investing in its own long-range drones and loitering munitions. Both countries continue to test nuclear-capable missiles such as India’s Agni-V and Prithvi and Pakistan’s Babur, Shaheen-3 and the short-range Nasr.

“The danger is that each side now believes it has escalation dominance,” said Rahul Mehta, a security analyst in New Delhi. “India believes it can strike deeper without triggering a nuclear response. Pakistan believes it can match India blow for blow. Those two beliefs together are a recipe for a shorter fuse next time.”

The outside powers

The crisis also exposed shifting alignments. China supported Pakistan diplomatically and, according to Indian officials, with satellite intelligence. The United States, which has courted India as a partner against China, angered New Delhi by praising Pakistan’s army chief and by hosting him at the White House. Relations between Washington and New Delhi soured further over tariffs, although trade talks have since resumed.

Gulf states, Iran and Türkiye all offered to mediate. Saudi Arabia later signed a mutual defence agreement with Pakistan, a move that Indian commentators read as a sign that Islamabad’s diplomatic isolation had ended.

For Kashmiris, little has changed. Tourist numbers in the valley have fallen, security checkpoints have multiplied and families along the Line of Control, whose homes were hit by shelling in May, are still waiting for compensation. “Every few years the two countries fight over us,” said a shopkeeper in Uri. “Then they stop, and we are left to rebuild.”
"""


def write(rel: str, text: str, encoding: str, newline: str = "\n") -> None:
    path = DATA / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    body = text.replace("\n", newline)
    if encoding == "utf-8-bom":
        raw = b"\xef\xbb\xbf" + body.encode("utf-8")
    elif encoding == "cp1252":
        raw = body.encode("cp1252")  # strict: fails loudly on anything cp1252 cannot hold
    elif encoding == "utf-16-le-bom":
        raw = b"\xff\xfe" + body.encode("utf-16-le")
    else:
        raise ValueError(encoding)
    path.write_bytes(raw)
    print(f"wrote {rel}: {len(raw)} bytes, {encoding}, {len(text.split())} words")


def main() -> None:
    # a no-break space between number and unit exercises 0xA0 in cp1252
    sahel = SAHEL.replace("€3 a litre", "€3\u00a0a litre").replace("€8 billion", "€8\u00a0billion")
    write("europe/russia-oil-sanctions.txt", RUSSIA_OIL_SANCTIONS, "utf-8-bom")
    write("africa/sahel-fuel-and-juntas.txt", sahel, "cp1252")
    write("asia/india-pakistan-ceasefire.txt", INDIA_PAKISTAN, "utf-16-le-bom", newline="\r\n")


if __name__ == "__main__":
    main()
