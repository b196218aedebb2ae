"""Regenerate the offline copy of The Syrian Observer in scraper/offline/sites/syrianobserver/.

    python scraper/offline/sites/build_syrianobserver.py

The stories below are written for this test copy (plausible news prose, no
real quotes); the page markup follows the site's WordPress theme with all of
its cruft. One story is the article of the shared text dump
("Israel-Syria Security Agreement Stalls Over Mount Hermon and Russian
Presence"), paragraph for paragraph. Pages, feed, sitemaps, listings,
site.toml and expected.json are all written from the same data, so the known
answers in expected.json cannot drift from the pages. Re-run after editing
the data, then run tests/test_site_syrianobserver.py.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sitegen import (
    WP_ADMIN,
    YOAST,
    assert_clean,
    attr,
    chunks,
    clean_body,
    dt,
    esc,
    expected_article,
    expected_json,
    http_date,
    og_meta,
    page_numbers,
    page_path,
    page_urls,
    parse_body,
    robots,
    sitemap_index,
    stylesheet,
    texturize,
    urlset,
    utc_iso,
    wp_feed,
    wp_feed_item,
    write,
    write_expected,
)

HERE = Path(__file__).resolve().parent
OUT = HERE / "syrianobserver"
BASE = "https://syrianobserver.com"
PER_PAGE = 3  # WordPress "Blog pages show at most" on this copy

SECTIONS = {
    "foreign-actors": "Foreign Actors",
    "syrian-actors": "Syrian Actors",
    "news": "News",
    "commentary": "Commentary",
    "interviews": "Interviews",
    "uncategorized": "Uncategorized",
}

# --------------------------------------------------------------------------
# The stories. Body mini-format: blocks separated by a blank line;
# "## " / "### " subheadings, "* " list items (one per line), "> " blockquote,
# anything else a paragraph (inline <a>, <em>, <strong> allowed).
# --------------------------------------------------------------------------

TRANSLATED_NOTE = (
    "This article was translated and edited by The Syrian Observer. The Syrian Observer has not "
    "verified the content of this story. Responsibility for the information and views set out in "
    "this article lies entirely with the author."
)
RESERVATION_NOTE = (
    "The Syrian Observer translates and publishes this story with all possible reservation."
)


def written_for(author: str) -> str:
    return f"This story has been written for The Syrian Observer by {author}."


ARTICLES = [
    dict(
        id=68102,
        section="foreign-actors",
        slug="israel-syria-security-agreement-stalls-over-mount-hermon-and-russian-presence",
        title="Israel-Syria Security Agreement Stalls Over Mount Hermon and Russian Presence",
        published="2025-12-22T09:40:12+00:00",
        modified="2025-12-22T10:05:31+00:00",
        summary=(
            '"The Israeli position is clear and non-negotiable. There will be no withdrawal from '
            'Mount Hermon", an israeli official said.'
        ),
        byline=None,
        authors=[],
        original_source=None,
        original_stance=None,
        note=TRANSLATED_NOTE,
        translated=True,
        tags=[],
        image=("2025/12/mount-hermon-israeli-position.jpg", "official"),
        variant=dict(hidden_date=True, share_at_end=True, nbsp_before_note=True),
        body="@@HERMON@@",
    ),
    dict(
        id=67933,
        section="commentary",
        slug="one-year-on-syrias-transition-is-still-waiting-for-its-institutions",
        title="One Year On, Syria’s Transition Is Still Waiting for Its Institutions",
        published="2025-12-08T07:30:00+00:00",
        modified="2025-12-08T12:02:47+00:00",
        summary=(
            "The first anniversary of the fall of the former regime should be the moment to set "
            "dates for judicial reform, public budgets and local elections, Yusuf Hamdan writes."
        ),
        byline="by Yusuf Hamdan",
        authors=["Yusuf Hamdan"],
        original_source=None,
        original_stance=None,
        note=written_for("Yusuf Hamdan"),
        translated=False,
        tags=["Transition", "Elections", "Constitution"],
        image=(
            "2025/12/umayyad-square-anniversary.jpg",
            "Crowds in Umayyad Square, Damascus, on the anniversary of December 8",
        ),
        variant=dict(entities=True),
        body="""
A year after the collapse of the former regime on December 8, 2024, the mood in Damascus is a mixture of relief and impatience. The checkpoints that once divided the capital into fiefdoms are mostly gone, exiles have come back to visit family graves, and the prisons that defined half a century of rule have been opened. Yet the question that dominated the first weeks of the transition remains largely unanswered: what will replace the old state, and who will decide?

## A constitution on paper

The constitutional declaration issued in March set a transitional period of five years and concentrated wide powers in the presidency. Its defenders argue that a country emerging from fourteen years of war needs a strong executive to restore order, pay salaries and negotiate with foreign governments. Its critics point out that the same argument was used for decades to postpone every promised reform.

What matters now is not the text itself but the institutions that are supposed to check it. The indirect selection of a new <a href="https://syrianobserver.com/syrian-actors/67293/how-the-electoral-colleges-for-syrias-new-peoples-assembly-were-formed.html">People’s Assembly</a> in October was presented as a first step. In practice, a third of the seats are appointed by the president, and the electoral colleges that chose the rest were themselves assembled by committees named in Damascus.

## Three tests for the coming year

If the transition is to earn the trust of Syrians who did not fight in any of the armed factions, it will have to pass at least three practical tests:

* An independent judiciary able to hear complaints against the new security services, not only against the old ones.
* A public budget, published and debated, that shows where customs revenue and foreign aid actually go.
* Local elections in the governorates, so that municipalities are run by people who answer to residents rather than to appointed governors.

None of these requires a new constitution. All of them require a willingness to share decisions that, so far, have been taken by a small circle around the presidency.

## The cost of waiting

There is an understandable fear that opening the political field too early would invite chaos, and the violence on the coast in March and in Sweida in July showed how quickly local grievances can turn deadly. But postponement has a cost too. Every month without clear rules hands more weight to armed groups, business intermediaries and foreign patrons who prefer to deal with individuals rather than with institutions.

> A transition that is only managed, and never shared, risks becoming another version of what Syrians rose up against.

The first anniversary should be an occasion to set dates: for the judicial reforms, for a census of the displaced, for municipal votes. Syrians have shown extraordinary patience. They deserve a calendar, not only promises.
""",
    ),
    dict(
        id=67790,
        section="syrian-actors",
        slug="damascus-electricity-company-announces-new-rationing-schedule-as-winter-approaches",
        title="Damascus Electricity Company Announces New Rationing Schedule as Winter Approaches",
        published="2025-11-24T11:15:00+03:00",
        modified="2025-11-24T13:02:10+03:00",
        summary=(
            "Residents of the capital will receive electricity for three hours followed by three "
            "hours of cuts under a new schedule that takes effect next week, Al-Watan reports."
        ),
        byline="by Anas Ahmad for Al-Watan (pro-government newspaper)",
        authors=["Anas Ahmad"],
        original_source="Al-Watan",
        original_stance="pro-government newspaper",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Electricity", "Damascus", "Economy"],
        image=(
            "2025/11/damascus-power-cut-street.jpg",
            "A street in central Damascus during a power cut",
        ),
        variant=dict(byline_in_content=True),
        body="""
The Damascus Electricity Company has announced a revised rationing programme for the capital and its countryside, citing higher winter demand and a shortfall in gas supplies to the power stations. Under the new schedule, most residential districts will receive power for three hours, followed by three hours of cuts, starting on December 1.

An official at the company told Al-Watan that the Deir Ali and Tishreen plants are operating below capacity because the quantities of gas delivered from the eastern fields have fallen in recent weeks. Imports of fuel by sea, he said, have only partly covered the gap.

Industrial zones in Adra and Sbeineh will keep a separate programme, with longer supply hours during the day, so that factories can continue working. Hospitals, water pumping stations and bakeries remain on lines that are exempt from rationing.

## Solar panels and private generators

Many households in the capital no longer rely on the public grid alone. Solar panels have become a common sight on the roofs of Mezzeh and Kafr Souseh, while neighbourhood generators sell electricity by the ampere at prices that have risen sharply since the summer.

Residents interviewed by the newspaper said the announced hours are rarely respected in practice, and that cuts often last longer than planned. Others complained that the unpredictability makes it impossible to plan cooking, laundry or study for their children.

The Ministry of Electricity has said that new contracts for power ships and for the rehabilitation of damaged transmission lines should improve supply next year, but it has not given a timetable.
""",
    ),
    dict(
        id=67649,
        section="news",
        slug="hasakah-residents-queue-for-water-as-alouk-station-stays-offline",
        title="Hasakah Residents Queue for Water as Alouk Station Stays Offline",
        published="2025-11-10T13:20:00+00:00",
        modified="2025-11-10T15:41:09+00:00",
        summary=(
            "Tens of thousands of people in Hasakah city depend on tanker trucks for drinking water "
            "as the Alouk pumping station remains out of service, North Press reports."
        ),
        byline="by North Press (Kurdish agency)",
        authors=[],
        original_source="North Press",
        original_stance="Kurdish agency",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Hasakah", "Water", "Turkey"],
        image=(
            "2025/11/hasakah-water-tanker.jpg",
            "Children fill jerrycans from a water tanker in Hasakah city",
        ),
        variant=dict(amp=True, entities=True),
        body="""
Long lines of plastic jerrycans have become a permanent feature of the streets of Hasakah city, where most neighbourhoods have gone without piped water for weeks. The Alouk station, which used to supply the city and its surrounding camps from wells near Ras al-Ain, has been out of service since the latest round of damage to its power lines.

Local authorities in the Autonomous Administration have increased the number of tanker trucks that distribute water free of charge, but residents say the supply covers only a fraction of their needs. Private tankers fill the gap at prices that many families cannot afford.

## Camps hit hardest

The situation is worse in the camps for displaced people on the edge of the city, where humanitarian organisations have warned of a rise in skin diseases and diarrhoea among children. Aid workers told North Press that water trucked into the camps is rationed to a few litres per person per day.

A member of the local water directorate said that technical teams were ready to repair the station if they were given access, and that the alternative wells drilled in the Himme area could not compensate for Alouk’s capacity.

The station has been at the centre of a long dispute between the Autonomous Administration and the Turkish-backed factions that control the Ras al-Ain area. Both sides accuse each other of using water as a weapon, and several rounds of mediation have produced only temporary solutions.

With winter rains still weeks away, residents fear that the crisis will continue well into the new year.
""",
    ),
    dict(
        id=67501,
        section="foreign-actors",
        slug="gulf-investors-weigh-return-to-syria-as-sanctions-ease",
        title="Gulf Investors Weigh Return to Syria as Sanctions Ease",
        published="2025-10-27T08:05:00+00:00",
        modified="2025-10-27T09:30:00+00:00",
        summary=(
            "Business delegations from Saudi Arabia, Qatar and the UAE are exploring investments in "
            "Syria’s energy, real estate and airport sectors, but bankers warn that legal "
            "uncertainty is still holding back large commitments."
        ),
        byline="by ASHARQ AL-AWSAT (London-based, pan-Arab newspaper)",
        authors=[],
        original_source="ASHARQ AL-AWSAT",
        original_stance="London-based, pan-Arab newspaper",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Saudi Arabia", "Sanctions", "Economy", "Reconstruction"],
        image=(
            "2025/10/damascus-investment-forum.jpg",
            "Participants at an investment forum in Damascus",
        ),
        variant=dict(repeat_standfirst=True, nbsp_before_note=True),
        body="""
Over the past months, Damascus has received a steady stream of delegations from Gulf chambers of commerce, investment funds and construction companies. Memoranda of understanding have been signed for power plants, a new terminal at Damascus International Airport and housing projects on the edges of the capital.

The easing of Western sanctions has removed some of the obstacles that kept foreign capital away for more than a decade. Several banks have resumed correspondent relations with Syrian institutions, and transfers through the SWIFT system are once again possible for some operations.

## Caution remains

However, bankers and lawyers consulted by Asharq Al-Awsat say the transition from memoranda to actual contracts will be slow. Investors want clear guarantees on property rights, the repatriation of profits and the settlement of disputes, and they are waiting for the new investment law to be tested in practice.

Another concern is the fragmented map of control on the ground. Projects in the northeast or along the coast carry security risks that insurers are reluctant to cover, while the state’s administrative capacity has been weakened by years of emigration of skilled staff.

A Gulf businessman who visited Damascus in September said the opportunities were real but that most companies would start with small projects to test the ground before committing larger sums.

Economists estimate the cost of reconstruction at several hundred billion dollars, far beyond what Gulf states alone are willing to provide. The coming months will show whether the diplomatic warmth between Damascus and the Gulf capitals translates into concrete economic support.
""",
    ),
    dict(
        id=67293,
        section="syrian-actors",
        slug="how-the-electoral-colleges-for-syrias-new-peoples-assembly-were-formed",
        title="How the Electoral Colleges for Syria’s New People’s Assembly Were Formed",
        published="2025-10-06T16:45:00+03:00",
        modified="2025-10-07T09:12:00+03:00",
        summary=(
            "Syrians outside the electoral colleges watched from a distance as about 6,000 members "
            "chose two thirds of the new parliament, Enab Baladi writes."
        ),
        byline="by Hiba Darwish for Enab Baladi (opposition website)",
        authors=["Hiba Darwish"],
        original_source="Enab Baladi",
        original_stance="opposition website",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Elections", "People’s Assembly"],
        image=(
            "2025/10/electoral-college-vote-damascus.jpg",
            "Members of an electoral college cast their ballots in Damascus",
        ),
        variant=dict(),
        body="""
The selection of members of the new People’s Assembly took place on Sunday in most governorates, in a process that differed sharply from the elections held under the former regime. Instead of a popular vote, members of electoral colleges formed in each district chose the candidates who will occupy two thirds of the 210 seats. The remaining third will be appointed by the president.

The Supreme Committee for the People’s Assembly Elections, formed by presidential decree, appointed sub-committees in each district. These sub-committees in turn selected the members of the electoral colleges from lists of notables, professionals, academics and representatives of civil society.

## Criticism of the process

Critics say that the system leaves too much discretion to the committees and that the criteria for membership were not published in advance. Lawyers interviewed by Enab Baladi noted that appeals against the composition of the colleges had to be submitted within very short deadlines, which made it difficult for excluded candidates to challenge decisions.

The vote was postponed in Sweida and in the areas controlled by the Syrian Democratic Forces in Raqqa and Hasakah, for what the committee described as security reasons. Seats for these districts remain vacant.

### Women and minorities

Women made up a small share of the winning candidates, a result that several civil society groups described as disappointing. Members of the committee argued that the president’s appointments would be used to correct imbalances in representation.

Supporters of the process say that a direct election was impossible while millions of Syrians remain displaced and without updated civil records, and that the assembly is only meant to serve during the transitional period.
""",
    ),
    dict(
        id=67088,
        section="interviews",
        slug="interview-restoring-aleppos-old-souks-one-shop-at-a-time",
        title="Interview: Restoring Aleppo’s Old Souks, One Shop at a Time",
        published="2025-09-15T10:00:00+00:00",
        modified="2025-09-15T10:00:00+00:00",
        summary=(
            "An architect involved in rebuilding the covered markets of Aleppo’s old city talks "
            "about ownership disputes, craftsmen and the return of traders."
        ),
        byline="by Reem Saleh",
        authors=["Reem Saleh"],
        original_source=None,
        original_stance=None,
        note=written_for("Reem Saleh"),
        translated=False,
        tags=["Aleppo", "Reconstruction", "Heritage"],
        image=(
            "2025/09/aleppo-souk-restoration.jpg",
            "Stone masons at work in a covered market of Aleppo’s old city",
        ),
        variant=dict(entities=True),
        body="""
The covered markets of Aleppo’s old city, a UNESCO World Heritage site, were among the most damaged areas of the city during the battles of 2012 to 2016. Several sections have since been restored and reopened. The Syrian Observer spoke to Nour Khatib, an architect who has worked on the rehabilitation of the souks for the past six years.

<strong>How much of the old market has been restored so far?</strong>

Around a third of the covered markets are working again, although not all of them at full capacity. Some sections, such as Souk al-Saqatiyya, were restored early because they were symbols for the city. Others are still piles of stone waiting for funding and for the owners to agree on what should be done.

<strong>What is the biggest obstacle?</strong>

Ownership. A single shop can have ten or fifteen heirs, some of them abroad, some dead without registered inheritance. Before we can touch a wall, we need the consent of the owners, and the property records themselves were partly damaged. The legal work often takes longer than the construction.

<strong>Has the change of government in Damascus changed anything for your work?</strong>

Traders who left for Turkey or Egypt are visiting again and asking about their shops, which was not the case before. That is encouraging. At the same time, the funding situation is uncertain, because donors are still deciding where to put their money and bigger infrastructure needs compete with heritage projects.

<strong>Are there enough craftsmen to do the work?</strong>

This is a real problem. Stone masons who know the traditional techniques are few, and many of them are old. We have started training young people on the sites themselves, but it takes years to master the stone of Aleppo. Without them, restoration becomes imitation.

<strong>What would you ask of the authorities?</strong>

A clear legal framework for heritage areas, so that owners cannot demolish and rebuild with concrete, and a simple procedure for inheritance cases. The rest, the people of Aleppo will do themselves.
""",
    ),
    dict(
        id=66802,
        section="news",
        slug="daraa-farmers-count-losses-after-another-dry-season",
        title="Daraa Farmers Count Losses After Another Dry Season",
        published="2025-08-18T09:30:00+00:00",
        modified="2025-08-18T11:18:45+00:00",
        summary=(
            "Wheat yields in the Hauran plain have fallen to their lowest level in decades after a "
            "winter with little rain, leaving farmers in debt and unable to plant next season."
        ),
        byline="by Firas Khalil for Al-Araby al-Jadeed (London-based, pan-Arab daily)",
        authors=["Firas Khalil"],
        original_source="Al-Araby al-Jadeed",
        original_stance="London-based, pan-Arab daily",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Daraa", "Agriculture", "Water", "Economy"],
        image=(
            "2025/08/daraa-wheat-field-drought.jpg",
            "A wheat field in the eastern Daraa countryside",
        ),
        variant=dict(repeat_standfirst=True),
        body="""
In the villages of the eastern Daraa countryside, farmers say this year’s harvest barely covered the cost of seeds and fuel. Fields that used to produce several tonnes of wheat per hectare yielded a fraction of that, and some farmers did not bother to harvest at all, leaving the stunted crop to grazing sheep.

The 2024–2025 rainy season was one of the driest recorded in southern Syria. Groundwater levels have also dropped, and wells that once irrigated vegetable plots have dried up or become too expensive to operate because of the price of diesel.

## Debts and migration

Many farmers borrowed money from traders to buy inputs, promising to repay after the harvest. Unable to do so, some have sold livestock or land, while young men in several villages have left to look for work in Damascus or abroad.

Agricultural engineers in the province list the measures they consider most urgent:

* Subsidised seeds of drought-tolerant wheat and barley varieties.
* Repair of the dams and irrigation canals damaged during the war.
* Rescheduling of farmers’ debts with the Agricultural Cooperative Bank.

The Ministry of Agriculture has announced a programme to support affected farmers, but residents say they have yet to see its effects on the ground.
""",
    ),
    dict(
        id=66014,
        section="commentary",
        slug="sanctions-relief-is-not-a-reconstruction-plan",
        title="Sanctions Relief Is Not a Reconstruction Plan",
        published="2025-05-19T07:00:00+00:00",
        modified="2025-05-19T08:26:14+00:00",
        summary=(
            "Lifting sanctions removes an obstacle, but without institutions that can absorb and "
            "account for money, Syria risks a reconstruction that enriches a few and leaves most "
            "behind."
        ),
        byline="by Maher Sabbagh",
        authors=["Maher Sabbagh"],
        original_source=None,
        original_stance=None,
        note=written_for("Maher Sabbagh"),
        translated=False,
        tags=["Sanctions", "Reconstruction", "Economy"],
        image=(
            "2025/05/damascus-celebration-sanctions.jpg",
            "People celebrate in a Damascus street after the sanctions announcement",
        ),
        variant=dict(),
        body="""
The announcement that the United States would lift most of its sanctions on Syria was greeted with celebrations in the streets of Damascus and other cities. It is easy to understand why. For years, sanctions were blamed for everything from the price of bread to the lack of medicine, and their removal feels like the end of a siege.

But sanctions relief is not, by itself, a plan. The economy that emerges from fourteen years of war is fragmented, informal and dominated by networks that learned to thrive under scarcity. Money arriving into such an economy does not automatically reach the people who need it most.

## Lessons from elsewhere

Post-war reconstruction in Iraq and Lebanon offers sobering lessons. In both countries, large inflows of aid and investment coincided with the entrenchment of political elites who distributed contracts among themselves. Infrastructure was rebuilt unevenly, and public debt grew without a corresponding improvement in services.

Syria can avoid repeating these mistakes only if a few basic conditions are met. Contracts above a certain value should be published. Property claims of the displaced, many of whom lost documents, must be protected before large real-estate projects are approved. And local councils, not only central ministries, should have a say in deciding priorities.

## A role for Syrians abroad

The diaspora, which sustained millions of families through remittances during the war, has skills and capital that could play a central role. Yet many Syrians abroad hesitate to invest because of legal uncertainty, past confiscations and a banking sector that is only beginning to reconnect with the world.

The removal of sanctions opens a window. Whether it leads to recovery or to a new form of crony capitalism depends on choices that Syrians, not foreign governments, will have to make in the coming months.
""",
    ),
    dict(
        id=65731,
        section="foreign-actors",
        slug="ankara-watches-northeast-syria-closely-after-damascus-sdf-agreement",
        title="Ankara Watches Northeast Syria Closely After Damascus–SDF Agreement",
        published="2025-03-20T14:10:00+00:00",
        modified="2025-03-20T16:55:02+00:00",
        summary=(
            "Turkey has cautiously welcomed the agreement to integrate the Syrian Democratic Forces "
            "into state institutions, but officials in Ankara say they will judge it by its "
            "implementation, Al-Quds Al-Arabi reports."
        ),
        byline="by Omar Haj Ali – Al-Quds Al-Arabi (London-based pan-Arab newspaper)",
        authors=["Omar Haj Ali"],
        original_source="Al-Quds Al-Arabi",
        original_stance="London-based pan-Arab newspaper",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Turkey", "SDF", "Kurds"],
        image=(
            "2025/03/qamishli-street-march-agreement.jpg",
            "A street in Qamishli after the announcement of the March 10 agreement",
        ),
        variant=dict(entities=True),
        body="""
The agreement signed in Damascus on March 10 between the Syrian presidency and the leadership of the Syrian Democratic Forces (SDF) provides for the integration of the SDF’s civilian and military institutions into the Syrian state by the end of the year. It also covers border crossings, oil and gas fields and the airport in Qamishli.

Turkish officials, who regard the SDF’s backbone as an extension of the Kurdistan Workers’ Party (PKK), have avoided criticising the deal publicly. A Turkish diplomatic source told Al-Quds Al-Arabi that Ankara supports any step that strengthens Syria’s territorial unity, provided it does not allow armed groups to preserve their structure under a new name.

## Implementation is key

The source said that Turkey would watch three issues in particular: the fate of foreign fighters within the SDF, the handover of heavy weapons, and the management of prisons and camps holding members of the Islamic State group and their families.

Analysts in Ankara note that the agreement came in parallel with a call by the PKK’s jailed leader for the group to lay down its arms, which created a favourable atmosphere for de-escalation. However, previous rounds of talks between Kurdish groups and Damascus collapsed over the question of decentralisation.

In northern Syria, Turkish-backed factions have largely halted their offensive operations against the SDF around the Tishreen Dam, although sporadic shelling has continued in recent weeks.

Observers expect Turkey to use its influence in Damascus to shape the details of integration, particularly as the new authorities seek Turkish support for rebuilding the army.
""",
    ),
    dict(
        id=65260,
        section="syrian-actors",
        slug="families-of-the-missing-seek-answers-in-former-security-branches",
        title="Families of the Missing Seek Answers in Former Security Branches",
        published="2025-01-14T10:25:00+00:00",
        modified="2025-01-14T12:40:33+00:00",
        summary=(
            "Weeks after the fall of the former regime, relatives of the disappeared continue to "
            "comb the archives of security branches and prisons for traces of their loved ones."
        ),
        byline="by Syria TV (Opposition website)",
        authors=[],
        original_source="Syria TV",
        original_stance="Opposition website",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Detainees", "Human Rights", "Damascus"],
        image=(
            "2025/01/families-missing-photographs.jpg",
            "Relatives hold photographs of missing detainees in Damascus",
        ),
        variant=dict(repeat_standfirst=True, nbsp_before_note=True),
        body="""
Every morning, dozens of people gather outside the former headquarters of security branches in Damascus, holding photographs of sons, brothers and fathers who disappeared years ago. Some have come from Idlib, Homs or from refugee camps in Lebanon, hoping that a file or a list will finally tell them what happened.

Since the collapse of the former regime on December 8, prisons such as Sednaya have been emptied, and thousands of detainees have been released. But the number of those freed is small compared to the tens of thousands of people documented as missing by human rights organisations.

## Archives at risk

Activists warn that many documents were burned, looted or taken away as souvenirs in the chaotic days that followed the fall of the regime. Others lie scattered on the floors of abandoned offices, exposed to rain and damage.

Human rights groups have called on the caretaker authorities to seal the archives and hand them to a specialised national body, with the help of international experts in forensic documentation. They say that the preservation of evidence is essential both for the families and for future trials.

The caretaker government has announced the creation of a committee to follow up on the files of the missing, but families say they have received little information about how it will work.

For many, the uncertainty is harder than the news of a death. A mother from the Damascus countryside said she had visited every prison that was opened, and that she would keep looking until she found a name, a grave or a witness.
""",
    ),
    dict(
        id=64795,
        section="news",
        slug="families-fleeing-lebanon-cross-into-syria-at-jdeidet-yabous",
        title="Families Fleeing Lebanon Cross Into Syria at Jdeidet Yabous",
        published="2024-11-18T12:40:00+03:00",
        modified="2024-11-18T14:05:00+03:00",
        summary=(
            "The crossing point west of Damascus continues to receive Syrian and Lebanese families "
            "escaping the escalation in Lebanon, Al-Watan reports."
        ),
        byline="by Sami Haddad for Al-Watan (Pro-government newspaper)",
        authors=["Sami Haddad"],
        original_source="Al-Watan",
        original_stance="Pro-government newspaper",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Lebanon", "Refugees", "Displacement"],
        image=(
            "2024/11/jdeidet-yabous-crossing-families.jpg",
            "Families carry their belongings at the Jdeidet Yabous crossing",
        ),
        variant=dict(byline_in_content=True),
        body="""
The Jdeidet Yabous crossing on the Damascus–Beirut road continues to receive hundreds of families every day, despite damage caused by strikes near the Masnaa border point on the Lebanese side. Many arrive on foot after crossing the damaged stretch of road, carrying what they could take with them.

According to figures from the local authorities, more than half of those who crossed since late September are Syrians returning after years in Lebanon, while the rest are Lebanese families seeking temporary shelter.

## Reception centres

Reception centres have been opened in schools and public buildings in the Damascus countryside, Homs and Tartus. The Syrian Arab Red Crescent distributes food baskets, blankets and hygiene kits at the crossing, and mobile clinics provide basic medical care.

Returning Syrians face particular difficulties. Some young men fear being called up for military service or questioned about their reasons for leaving, while others no longer have homes to return to in areas destroyed during the war.

Host communities are also under pressure. Rents in towns near the border have risen sharply, and local officials say that water and electricity services were already stretched before the new arrivals.

Humanitarian organisations have appealed for additional funding, warning that winter conditions will make the situation of the displaced more difficult in the coming weeks.
""",
    ),
    dict(
        id=64027,
        section="foreign-actors",
        slug="russian-military-police-step-up-patrols-near-the-golan-frontline",
        title="Russian Military Police Step Up Patrols Near the Golan Frontline",
        published="2024-09-02T08:50:00+00:00",
        modified="2024-09-02T10:14:27+00:00",
        summary=(
            "Russia has set up new observation posts in the Quneitra countryside as tension rises "
            "along the ceasefire line, according to Asharq Al-Awsat."
        ),
        byline="by ASHARQ AL-AWSAT (London-based, pan-Arab daily)",
        authors=[],
        original_source="ASHARQ AL-AWSAT",
        original_stance="London-based, pan-Arab daily",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Russia", "Israel", "Quneitra"],
        image=(
            "2024/09/russian-patrol-quneitra.jpg",
            "A Russian military police vehicle in the Quneitra countryside",
        ),
        variant=dict(),
        body="""
Russian military police units have increased their patrols along the ceasefire line in the Golan Heights and established new observation posts in the Quneitra countryside, according to local sources in southern Syria.

The move comes amid growing tension along the frontier since the outbreak of the war in Gaza last October, with repeated Israeli strikes on positions in southern Syria that Israel says are used by Iran-backed groups.

Russia first deployed observation posts in the area in 2018, after government forces regained control of the south under agreements brokered by Moscow. The posts were meant to reassure Israel that Iran-backed groups would be kept away from the border.

## Messages to several parties

Military analysts say the new deployment sends messages in several directions. It signals to Israel that Moscow remains a player in southern Syria despite its war in Ukraine, and to Damascus and Tehran that Russia wants to avoid a wider escalation that could threaten its interests.

Residents of villages near the ceasefire line say the Russian patrols have not changed much in daily life, where Israeli drones remain a constant presence. Farmers complain that they can no longer reach some of their land near the line.

The United Nations Disengagement Observer Force (UNDOF) continues to monitor the area of separation, but its freedom of movement has been restricted on several occasions in recent months.
""",
    ),
    dict(
        id=63312,
        section="commentary",
        slug="ahead-of-the-parliamentary-vote-look-to-the-local-councils",
        title="Ahead of the Parliamentary Vote, Look to the Local Councils",
        published="2024-06-20T06:00:00+00:00",
        modified="2024-06-20T06:00:00+00:00",
        summary=(
            "As Syrians are called to vote for a new People’s Assembly in July, the bodies that "
            "shape daily life are the local councils, and they deserve more attention than they get."
        ),
        byline="by Lama Aziz",
        authors=["Lama Aziz"],
        original_source=None,
        original_stance=None,
        note=written_for("Lama Aziz"),
        translated=False,
        tags=["Elections", "Local Councils"],
        image=(
            "2024/06/damascus-election-posters.jpg",
            "Election posters on a wall in Damascus",
        ),
        variant=dict(),
        body="""
Syrians living in government-held areas will be called to the polls on July 15 to elect a new People’s Assembly. Few expect surprises. The lists of the ruling Baath Party and its allies have dominated every parliament for decades, and the campaign has so far been limited to portraits and slogans on the walls of Damascus.

Yet the elections that matter most to daily life are of a different kind. Local councils, elected in 2022 under the Local Administration Law, decide on the maintenance of roads, the distribution of bread and fuel allocations, building permits and the management of markets.

## Where services are decided

In many towns, the council is the only public institution that residents can reach. When a water pump breaks down or a bakery reduces its production, it is the council head who receives the complaints, not a member of parliament.

The law on paper gives councils considerable powers, including the ability to raise local revenue. In practice, their budgets are small, their decisions are often overruled by governors and security services, and many seats remain vacant because of emigration.

### What could change

Some improvements would not require a political revolution:

* Publishing council budgets and decisions on notice boards and online.
* Allowing councils to keep a larger share of local fees and taxes.
* Training council members in planning and public procurement.

Opposition-held areas in the northwest have their own experience of local councils, with mixed results. Whatever the future political settlement, local governance will be where Syrians first judge whether the state works for them.
""",
    ),
    dict(
        id=63051,
        section="syrian-actors",
        slug="bakeries-in-rural-damascus-cut-hours-as-flour-deliveries-fall",
        title="Bakeries in Rural Damascus Cut Hours as Flour Deliveries Fall",
        published="2024-05-27T09:00:00+03:00",
        modified="2024-05-27T10:45:00+03:00",
        summary=(
            "Queues have returned outside public bakeries in several towns of the Damascus "
            "countryside after flour allocations were reduced, Al-Watan reports."
        ),
        byline="by Anas Ahmad for Al-Watan (pro-government newspaper)",
        authors=["Anas Ahmad"],
        original_source="Al-Watan",
        original_stance="pro-government newspaper",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Economy", "Bread", "Damascus"],
        image=(
            "2024/05/bakery-queue-qatana.jpg",
            "A queue outside a public bakery in Qatana",
        ),
        variant=dict(repeat_standfirst=True, entities=True),
        body="""
Residents of Qatana, Al-Kiswah and Al-Tall said that public bakeries now close by midday, several hours earlier than usual, because the daily quantities of flour they receive have been reduced. Those who arrive late often go home without bread or turn to private bakeries, where prices are several times higher.

An official at the General Establishment for Bakeries told the newspaper that the reduction was temporary and linked to delays in wheat shipments, and that allocations would return to normal within weeks.

## Smart card system

Subsidised bread is sold through the electronic smart card system, which limits the number of bundles each family can buy per day according to its size. Families complain that the allocation is insufficient for large households and that the system does not take into account relatives who have moved in with them.

The price of non-subsidised bread has also risen in recent months, following increases in the cost of fuel and transport.

Economists note that the state’s wheat purchases from local farmers have fallen far short of needs in recent years, forcing the government to rely on imports paid for in hard currency that it struggles to secure.
""",
    ),
    dict(
        id=62870,
        section="foreign-actors",
        slug="iran-backed-groups-reposition-in-deir-ez-zor-after-strikes",
        title="Iran-Backed Groups Reposition in Deir-ez-Zor After Strikes",
        published="2024-05-09T15:30:00+00:00",
        modified="2024-05-09T17:02:51+00:00",
        summary=(
            "Militias loyal to Iran have moved fighters and equipment away from the Euphrates "
            "crossings in Albukamal and Mayadin following a series of air strikes, North Press "
            "reports."
        ),
        byline="by NORTH PRESS (Kurdish agency)",
        authors=[],
        original_source="NORTH PRESS",
        original_stance="Kurdish agency",
        note=TRANSLATED_NOTE,
        translated=True,
        tags=["Iran", "Deir-ez-Zor", "U.S."],
        image=(
            "2024/05/mayadin-euphrates-bridge.jpg",
            "The Euphrates river near Mayadin",
        ),
        variant=dict(),
        body="""
Iran-backed militias have withdrawn part of their fighters and equipment from positions near the Euphrates River in the eastern countryside of Deir-ez-Zor, according to local sources who spoke to North Press. The redeployment follows a series of air strikes on their headquarters and weapons depots in Albukamal and Mayadin.

The sources said that the groups moved heavy weapons into residential neighbourhoods and farms, and that some fighters changed their uniforms and vehicles to avoid being identified.

## Pressure on residents

Residents of Mayadin say the militias have taken over more houses in the town to use as offices and storage, adding to the pressure on families who were already struggling with high prices and a lack of services.

The area west of the Euphrates has been a key part of the land corridor linking Iran, through Iraq, to Syria and Lebanon. The United States, which keeps forces east of the river, has carried out several strikes on the groups since attacks on its bases increased last autumn.

Local observers expect the redeployment to be temporary, noting that similar movements after earlier strikes were followed by a gradual return to previous positions.
""",
    ),
    dict(
        id=61988,
        section="interviews",
        slug="interview-teaching-in-idlib-without-a-salary",
        title="Interview: Teaching in Idlib Without a Salary",
        published="2024-02-12T11:00:00+00:00",
        modified="2024-02-12T11:00:00+00:00",
        summary=(
            "A primary school teacher in northwestern Syria describes how volunteers keep "
            "classrooms open as international funding for education shrinks."
        ),
        byline="by Reem Saleh",
        authors=["Reem Saleh"],
        original_source=None,
        original_stance=None,
        note=written_for("Reem Saleh"),
        translated=False,
        tags=["Idlib", "Education"],
        image=(
            "2024/02/idlib-classroom.jpg",
            "Pupils in a crowded classroom near Jisr al-Shughur",
        ),
        variant=dict(),
        body="""
Thousands of teachers in northwestern Syria work without regular salaries after several international donors reduced their funding for education last year. The Syrian Observer spoke to Samira Haj Hussein, who has taught at a primary school near Jisr al-Shughur since 2015.

<strong>How many teachers at your school are still paid?</strong>

Of eighteen teachers, five receive a small monthly grant from an organisation. The others are volunteers. Some of them work in the afternoon as tailors, drivers or in the fields, and come to school in the morning because they do not want the children to be left on the street.

<strong>How has this affected the children?</strong>

Classes are bigger, sometimes fifty pupils in one room, and we had to shorten the school day. Many families also take their children out of school to work, especially boys over twelve. The earthquake last year made everything worse, because some schools were damaged and others became shelters.

<strong>What do you need most?</strong>

Stable salaries, even small ones, and heating for the classrooms in winter. Books and notebooks are also expensive. We tell donors that education is not a luxury: a child who leaves school at ten will not come back.
""",
    ),
    dict(
        id=61045,
        section="foreign-actors",
        slug="arab-contact-committee-on-syria-fails-to-meet-as-gaza-war-shifts-priorities",
        title="Arab Contact Committee on Syria Fails to Meet as Gaza War Shifts Priorities",
        published="2023-11-06T10:15:00+00:00",
        modified="2023-11-06T11:20:00+00:00",
        summary=(
            "A meeting of the Arab ministerial committee tasked with following up on Syria’s "
            "return to the Arab League has been postponed indefinitely, Asharq Al-Awsat has learned."
        ),
        byline="by ASHARQ AL-AWSAT (London-based, pan-Arab newspaper)",
        authors=[],
        original_source="ASHARQ AL-AWSAT",
        original_stance="London-based, pan-Arab newspaper",
        note=RESERVATION_NOTE,
        translated=True,
        tags=["Arab League", "Saudi Arabia", "Jordan"],
        image=(
            "2023/11/arab-league-headquarters-cairo.jpg",
            "The Arab League headquarters in Cairo",
        ),
        variant=dict(),
        body="""
The Arab ministerial contact committee on Syria, formed after Damascus regained its seat in the Arab League in May, has postponed a meeting that had been expected to take place in Cairo this month, according to Arab diplomatic sources.

The sources said that the war in Gaza has absorbed the attention of Arab foreign ministers, pushing the Syrian file down the list of priorities. But they added that frustration with the slow progress of the step-for-step approach had already been growing before October.

## Captagon and returns

Arab states had hoped that re-engagement with Damascus would lead to concrete measures on two issues in particular: the smuggling of Captagon pills across Syria’s borders with Jordan and Iraq, and the creation of conditions for the voluntary return of refugees.

Jordanian officials have complained that smuggling attempts continued and even intensified after the rapprochement, with frequent armed clashes along the border. Meanwhile, the number of refugees returning from neighbouring countries remains very low.

Diplomats say that the committee, which includes Jordan, Saudi Arabia, Iraq, Lebanon and Egypt, has not been dissolved, and that contacts with Damascus continue at a technical level.
""",
    ),
    dict(
        id=60133,
        section="syrian-actors",
        slug="sweida-strike-spreads-as-protests-over-living-conditions-continue",
        title="Sweida Strike Spreads as Protests Over Living Conditions Continue",
        published="2023-08-21T13:00:00+00:00",
        modified="2023-08-21T15:37:00+00:00",
        summary=(
            "Shops and government offices in Sweida remained closed for a fifth day as protests "
            "against the lifting of fuel subsidies turned into calls for political change."
        ),
        byline="by Suwayda 24 (local news network)",
        authors=[],
        original_source="Suwayda 24",
        original_stance="local news network",
        note=RESERVATION_NOTE,
        translated=True,
        tags=["Sweida", "Protests", "Economy"],
        image=(
            "2023/08/sweida-karama-square-protest.jpg",
            "Protesters in Al-Karama Square in Sweida",
        ),
        variant=dict(repeat_standfirst=True, entities=True),
        body="""
Hundreds of people gathered again in Al-Karama Square in the centre of Sweida on Monday, while a general strike closed most shops and public institutions in the city and in several towns of the province.

The protests began after the government raised fuel prices and cut subsidies last week, a decision that came on top of a sharp fall in the value of the Syrian pound. Public sector salaries were doubled at the same time, but residents say the increase was wiped out by rising prices within days.

## From bread to politics

Slogans in the square quickly moved beyond economic demands. Protesters called for the implementation of UN Security Council Resolution 2254, the release of detainees and an end to the security grip on the province.

Religious leaders of the Druze community expressed sympathy with the protesters’ demands, which gave the movement a broader base than earlier waves of protest in the province.

Protesters also closed several offices of the ruling Baath Party. Government forces in the province have so far avoided direct confrontation with the demonstrators.
""",
    ),
    dict(
        id=58967,
        section="news",
        slug="earthquake-survivors-in-jableh-still-waiting-for-permanent-housing",
        title="Earthquake Survivors in Jableh Still Waiting for Permanent Housing",
        published="2023-05-15T09:45:00+00:00",
        modified="2023-05-15T10:30:00+00:00",
        summary=(
            "Three months after the February earthquake, dozens of families in Jableh are still "
            "living in shelters and prefabricated units, Al-Watan reports."
        ),
        byline="by Lina Mansour for Al-Watan (pro-government newspaper)",
        authors=["Lina Mansour"],
        original_source="Al-Watan",
        original_stance="pro-government newspaper",
        note=RESERVATION_NOTE,
        translated=True,
        tags=["Earthquake", "Latakia", "Reconstruction"],
        image=(
            "2023/05/jableh-prefabricated-units.jpg",
            "Prefabricated housing units for earthquake survivors in Jableh",
        ),
        variant=dict(),
        body="""
More than three months after the earthquake of February 6, dozens of families from Jableh, in the province of Latakia, are still living in collective shelters and prefabricated units provided by aid organisations.

The earthquake destroyed or badly damaged several residential buildings in the city, and engineering committees later ordered the evacuation of others that were judged unsafe. Many families left behind furniture and belongings that they have not been able to retrieve.

## Compensation and rebuilding

The government announced a fund to support those affected, including interest-free loans for rebuilding and a rent allowance for families whose homes were destroyed. Residents say, however, that the procedures are slow and the amounts insufficient given the rise in construction costs.

A member of the city council said that the first residential blocks to replace destroyed buildings were expected to be completed by the end of the year, and that priority would be given to families with no other housing.

Meanwhile, families in the shelters complain of the heat in the prefabricated units and the lack of privacy. Children have returned to school, but many parents say the trauma of the earthquake still affects their sleep and concentration.

Aid organisations working in the city say that psychological support remains one of the most neglected needs, and they have called for more specialised services for children.
""",
    ),
    dict(
        id=58214,
        section="foreign-actors",
        slug="saudi-arabia-and-syria-discuss-reopening-embassies-sources-say",
        title="Saudi Arabia and Syria Discuss Reopening Embassies, Sources Say",
        published="2023-03-24T12:00:00+00:00",
        modified="2023-03-24T13:10:00+00:00",
        summary=(
            "Riyadh and Damascus are close to an agreement to restore consular services after more "
            "than a decade of severed ties, Al-Akhbar writes."
        ),
        byline="by Khaled Nasser for Al-Akhbar (Lebanese, pro-government newspaper)",
        authors=["Khaled Nasser"],
        original_source="Al-Akhbar",
        original_stance="Lebanese, pro-government newspaper",
        note=RESERVATION_NOTE,
        translated=True,
        tags=["Saudi Arabia", "Arab League", "Iran"],
        image=(
            "2023/03/saudi-embassy-damascus-closed.jpg",
            "The closed Saudi embassy building in Damascus",
        ),
        variant=dict(),
        body="""
Saudi Arabia and Syria are negotiating the reopening of their embassies, more than eleven years after Riyadh withdrew its ambassador and closed its mission in Damascus, according to sources familiar with the talks.

The sources said that contacts between the two countries’ intelligence services intensified after the February earthquake, when Saudi aid flights landed in government-held areas for the first time since the start of the conflict.

## A regional shift

The rapprochement comes days after the Chinese-brokered agreement between Saudi Arabia and Iran to restore diplomatic relations, which has encouraged several Arab states to reconsider their positions on Syria.

Restoring consular services would allow Syrians living in Saudi Arabia, estimated in the hundreds of thousands, to renew documents without travelling to third countries. It would also pave the way for the resumption of flights between the two countries.

Several Arab states remain hesitant about Syria’s return to the Arab League, insisting on progress towards a political solution first. Diplomats expect the issue to be discussed at the next Arab summit, due to be held in Saudi Arabia in May.
""",
    ),
]

# The edited version (overlay "edited/"): same URL, one paragraph changed.
EDITED = dict(
    id=67790,
    modified="2025-12-23T17:20:00+03:00",
    old=(
        "Hospitals, water pumping stations and bakeries remain on lines that are exempt from "
        "rationing."
    ),
    new=(
        "Hospitals, water pumping stations and bakeries remain on lines that are exempt from "
        "rationing. The company later said that Jaramana and Sahnaya would follow a separate "
        "four-hour schedule after complaints from residents."
    ),
    changed_text=(
        "The company later said that Jaramana and Sahnaya would follow a separate four-hour "
        "schedule after complaints from residents."
    ),
)

# A post that is not an article (a publication notice).
EID = dict(
    id=66129,
    section="uncategorized",
    slug="eid-holiday-5",
    title="Eid Holiday",
    published="2025-06-05T12:00:00+00:00",
    modified="2025-06-05T12:00:00+00:00",
    summary=(
        "The Syrian Observer will not be publishing any articles from June 6 to June 9 on the "
        "occasion of Eid al-Adha."
    ),
    body=(
        "The Syrian Observer will not be publishing any articles from June 6 to June 9 on the "
        "occasion of Eid al-Adha. We will resume our regular coverage on Tuesday, June 10.\n\n"
        "Eid Mubarak to all our readers."
    ),
)

# The article of the shared text dump (examples/text-dumps/syrianobserver-000_*), verbatim.
HERMON_BODY = """\
Reaching a formal security agreement between Israel and Syria is currently unfeasible, according to a report by the Israeli newspaper Maariv. The deadlock stems from a firm Syrian demand for Israel to withdraw from the section of Mount Hermon it occupied over a year ago—a demand Tel Aviv has categorically rejected.

## Freezing the Status Quo

Recent intensive talks in Paris involving representatives from Israel, Syria, and the United States concluded with only limited progress. While the parties reached a basic understanding on a “coordination mechanism” to prevent ground friction—with active American participation—broader diplomatic breakthroughs remain elusive.

A senior Israeli official cited in the report was blunt: “The Israeli position is clear and non-negotiable. There will be no withdrawal from Mount Hermon.” This refusal to link security arrangements to territorial concessions is the primary reason talks have not progressed beyond the technical coordination phase.

According to the official, Israel’s objective is to “freeze the status quo.” This strategy involves three pillars:

* No withdrawal of Israeli forces from Mount Hermon.
* No enhancement of Syrian military capabilities.
* No foreign military presence that would restrict the Israeli Defense Forces’ (IDF) operational freedom.

While U.S. President Donald Trump has expressed a desire to facilitate a security agreement, the official clarified that the White House is not currently pressuring Israel to withdraw from Mount Hermon or other areas occupied following the collapse of the Assad regime. The official emphasized that Israel’s strategic security interests remain the priority, a stance the U.S. administration currently accepts.

## Thwarting Russian Influence

Tel Aviv is also monitoring Damascus’s attempts to coordinate with Moscow to restore a Russian military presence, particularly in southern Syria. Israel views such a move as a direct threat to its operational freedom, fearing it would create significant tactical constraints.

The Israeli official confirmed that Tel Aviv has already thwarted initiatives to deploy Russian forces in the south. A decisive message has been delivered to Damascus, Moscow, and Washington: Israel will not permit a Russian military presence in the border region.

Despite the contraction of Russian influence following the fall of the Bashar al-Assad regime on December 8, Israel believes Moscow is actively working with the new Syrian authorities to maintain and expand its foothold. From Israel’s perspective, both Damascus and Moscow see a Russian presence in the south as a strategic deterrent against Israeli maneuvers—a logic Tel Aviv firmly rejects.

## Strategic Red Lines

The report further noted that Israeli officials are closely monitoring Syria’s communications with Russia and Turkey regarding arms purchases. They have relayed a message to all relevant parties that Israel will not consent to Syria possessing strategic weapons—primarily advanced air defense systems or any arms that could alter the regional balance of power—in any future security settlement.
"""


# --------------------------------------------------------------------------
# Derived data
# --------------------------------------------------------------------------

AMP_ID = 67649  # reached through its AMP URL and a feed link with utm_* parameters
REDIRECT_ID = 63051  # an old URL without the post id redirects here (301)
GONE_URL = f"{BASE}/news/59102/un-cross-border-aid-resolution-expires.html"  # 410 Gone
PREVIEW_URL = f"{BASE}/private-preview/2025-year-in-review.html"  # robots.txt disallows it
FEED_SIZE = 10


def url_of(post: dict) -> str:
    return f"{BASE}/{post['section']}/{post['id']}/{post['slug']}.html"


def amp_url_of(post: dict) -> str:
    return url_of(post) + "/amp/"


def utm_url_of(post: dict) -> str:
    return url_of(post) + (
        f"?utm_source=rss&utm_medium=rss&utm_campaign={post['slug']}"
    )


def redirect_url_of(post: dict) -> str:
    return f"{BASE}/{post['section']}/{post['slug']}.html"


def tag_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("’", "")).strip("-")


def ordinal(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def listing_date(value: str) -> str:
    """'Friday May 6th, 2022', as printed on the site's listing pages."""
    d = dt(value)
    return f"{d:%A} {d:%B} {ordinal(d.day)}, {d.year}"


def render_blocks(blocks, entities: bool) -> str:
    fix = texturize if entities else (lambda s: s)
    out = []
    for kind, payload in blocks:
        if kind == "p":
            out.append(f"<p>{fix(payload)}</p>")
        elif kind in ("h2", "h3"):
            cls = "" if entities else ' class="wp-block-heading"'
            out.append(f"<{kind}{cls}>{fix(payload)}</{kind}>")
        elif kind == "quote":
            out.append(f'<blockquote class="wp-block-quote">\n<p>{fix(payload)}</p>\n</blockquote>')
        elif kind == "ul":
            items = "\n".join(f"<li>{fix(item)}</li>" for item in payload)
            out.append(f"<ul>\n{items}\n</ul>")
    return "\n\n".join(out)


# --------------------------------------------------------------------------
# Page chrome (header, sidebar, footer): the cruft around every story
# --------------------------------------------------------------------------

CRUFT = [
    "Logo Wide",
    "Search",
    "Skip to content",
    "Home »",
    "Helpful keywords",
    "This article was translated and edited by The Syrian Observer",
    "has not verified the content",
    "Responsibility for the information and views",
    "with all possible reservation",
    "has been written for The Syrian Observer",
    "Share on Facebook",
    "Share on Twitter",
    "Share on WhatsApp",
    "Share on Telegram",
    "Share",
    "Related articles",
    "Subscribe to our newsletter",
    "Get the day’s most important Syrian news in your inbox",
    "Enter your email address",
    "We use cookies to ensure that we give you the best experience",
    "Privacy policy",
    "About Us",
    "The Syrian Observer is a daily online news service covering Syrian political and civil "
    "society news.",
    "All rights reserved",
    "Most read",
    "Read more",
    "(pro-government newspaper)",
    "(Pro-government newspaper)",
    "(London-based, pan-Arab newspaper)",
    "(London-based, pan-Arab daily)",
    "(London-based pan-Arab newspaper)",
    "(Kurdish agency)",
    "(opposition website)",
    "(Opposition website)",
    "(local news network)",
    "(Lebanese, pro-government newspaper)",
    "\u00a0",
]

NAV = [("News", "/category/news/"), ("Syrian Actors", "/category/syrian-actors/"),
       ("Foreign Actors", "/category/foreign-actors/"), ("Commentary", "/category/commentary/"),
       ("Interviews", "/category/interviews/"), ("About Us", "/about-us/")]


def head(title: str, canonical: str, extra: str = "", description: str = "") -> str:
    desc = f'\n<meta name="description" content="{attr(description)}" />' if description else ""
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="profile" href="https://gmpg.org/xfn/11">
<title>{esc(title)}</title>{desc}
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1, max-video-preview:-1" />
<link rel="canonical" href="{attr(canonical)}" />
{extra}<link rel="alternate" type="application/rss+xml" title="The Syrian Observer &raquo; Feed" href="{BASE}/feed/" />
<link rel='stylesheet' id='syrianobserver-style-css' href='{BASE}/wp-content/themes/syrianobserver/style.css?ver=2.3.1' type='text/css' media='all' />
<script type="text/javascript" src="{BASE}/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>
<link rel="https://api.w.org/" href="{BASE}/wp-json/" />
<link rel="icon" href="{BASE}/wp-content/uploads/2019/06/cropped-favicon-32x32.png" sizes="32x32" />
</head>
"""


def site_header(current: str = "") -> str:
    items = []
    for name, path in NAV:
        cls = ' class="menu-item current-menu-item"' if name == current else ' class="menu-item"'
        items.append(f'<li{cls}><a href="{BASE}{path}">{esc(name)}</a></li>')
    menu = "\n      ".join(items)
    return f"""<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div id="page" class="site">
<header id="masthead" class="site-header">
  <div class="header-inner container">
    <div class="site-branding">
      <a href="{BASE}/" class="custom-logo-link" rel="home"><img width="420" height="64" src="{BASE}/wp-content/uploads/2019/06/logo-wide.png" class="custom-logo" alt="Logo Wide" decoding="async" /></a>
    </div>
    <div class="header-search">
      <form role="search" method="get" class="search-form" action="{BASE}/">
        <label for="search-field-top" class="screen-reader-text">Search</label>
        <input type="search" id="search-field-top" class="search-field" placeholder="" value="" name="s" />
        <button type="submit" class="search-submit">Search</button>
      </form>
    </div>
  </div>
  <nav id="site-navigation" class="main-navigation" aria-label="Primary">
    <ul id="primary-menu" class="menu">
      <li class="menu-item menu-item-home"><a href="{BASE}/">Home</a></li>
      {menu}
    </ul>
  </nav>
</header>
"""


def most_read_widget(posts_by_id: dict) -> str:
    amp_post = posts_by_id[AMP_ID]
    picks = [68102, 67501, 67293, 65260]
    items = [
        f'<li><a href="{url_of(posts_by_id[i])}">{esc(posts_by_id[i]["title"])}</a></li>'
        for i in picks
    ]
    # the theme's popular-posts plugin links the AMP version of this one
    items.insert(2, f'<li><a href="{amp_url_of(amp_post)}">{esc(amp_post["title"])}</a></li>')
    return (
        '<section id="popular-posts-3" class="widget widget_popular_posts">\n'
        '<h3 class="widget-title">Most read</h3>\n<ol>\n' + "\n".join(items) + "\n</ol>\n</section>\n"
    )


def archives_widget(months: list[str]) -> str:
    items = []
    for ym in months:
        month = datetime.strptime(ym, "%Y/%m")
        items.append(f"<li><a href='{BASE}/{ym}/'>{month:%B %Y}</a></li>")
    return (
        '<section id="archives-2" class="widget widget_archive">\n'
        '<h3 class="widget-title">Archives</h3>\n<ul>\n' + "\n".join(items) + "\n</ul>\n</section>\n"
    )


NEWSLETTER = """<div class="newsletter widget-newsletter">
  <h3>Subscribe to our newsletter</h3>
  <p>Get the day’s most important Syrian news in your inbox.</p>
  <form action="https://syrianobserver.us20.list-manage.com/subscribe/post?u=5b1f0c3a9e&amp;id=8d2e61f4a7" method="post" class="mc4wp-form" target="_blank">
    <label for="mce-EMAIL" class="screen-reader-text">Enter your email address</label>
    <input type="email" name="EMAIL" id="mce-EMAIL" placeholder="Enter your email address" required />
    <button type="submit" class="button">Subscribe</button>
  </form>
</div>
"""


def site_footer() -> str:
    return f"""<footer id="colophon" class="site-footer">
  <div class="footer-widgets container">
    <section id="text-2" class="widget widget_text">
      <h3 class="widget-title">About Us</h3>
      <div class="textwidget"><p>The Syrian Observer is a daily online news service covering Syrian political and civil society news.</p>
      <p><a href="{BASE}/about-us/">Read more</a></p></div>
    </section>
    <section id="nav_menu-2" class="widget widget_nav_menu">
      <ul class="menu">
        <li><a href="{BASE}/about-us/">About Us</a></li>
        <li><a href="{BASE}/privacy-policy/">Privacy policy</a></li>
        <li><a href="{BASE}/feed/">RSS</a></li>
        <li><a href="https://twitter.com/SyrianObserver" rel="noopener" target="_blank">Twitter</a></li>
        <li><a href="https://www.facebook.com/SyrianObserver" rel="noopener" target="_blank">Facebook</a></li>
      </ul>
    </section>
  </div>
  <div class="site-info">&copy; 2013-2025 The Syrian Observer. All rights reserved.</div>
</footer>
</div><!-- #page -->
<div id="cookie-notice" class="cookie-notice" role="dialog" aria-label="Cookie Notice">
  <div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">We use cookies to ensure that we give you the best experience on our website. If you continue to use this site we will assume that you are happy with it.</span>
  <span class="cn-buttons-container"><a href="#" id="cn-accept-cookie" class="cn-set-cookie cn-button" aria-label="Ok">Ok</a><a href="{BASE}/privacy-policy/" target="_blank" id="cn-more-info" class="cn-more-info cn-button">Privacy policy</a></span></div>
</div>
<script type="text/javascript" src="{BASE}/wp-content/themes/syrianobserver/js/main.js?ver=2.3.1" id="syrianobserver-main-js"></script>
</body>
</html>
"""


def share_buttons(url: str, title: str) -> str:
    u, t = quote(url, safe=""), quote(title, safe="")
    return f"""<div class="share-buttons">
  <a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={u}" target="_blank" rel="nofollow noopener">Share on Facebook</a>
  <a class="share-twitter" href="https://twitter.com/intent/tweet?text={t}&amp;url={u}" target="_blank" rel="nofollow noopener">Share on Twitter</a>
  <a class="share-whatsapp" href="https://api.whatsapp.com/send?text={u}" target="_blank" rel="nofollow noopener">Share on WhatsApp</a>
  <a class="share-telegram" href="https://t.me/share/url?url={u}" target="_blank" rel="nofollow noopener">Share on Telegram</a>
  <button class="share-more" type="button">Share</button>
</div>
"""


# --------------------------------------------------------------------------
# Article pages
# --------------------------------------------------------------------------


def json_ld(post: dict, modified: str) -> str:
    url = url_of(post)
    if post["authors"]:
        author = [{"@type": "Person", "name": name} for name in post["authors"]]
    else:
        author = {"@type": "Organization", "name": "The Syrian Observer"}
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "NewsArticle",
                "@id": url + "#article",
                "isPartOf": {"@id": url},
                "headline": post["title"],
                "description": post["summary"],
                "datePublished": post["published"],
                "dateModified": modified,
                "author": author,
                "publisher": {"@id": BASE + "/#organization"},
                "image": {"@type": "ImageObject",
                          "url": f"{BASE}/wp-content/uploads/{post['image'][0]}"},
                "articleSection": [SECTIONS[post["section"]]],
                "keywords": post["tags"],
                "inLanguage": "en-US",
                "mainEntityOfPage": {"@id": url},
            },
            {
                "@type": "BreadcrumbList",
                "@id": url + "#breadcrumb",
                "itemListElement": [
                    {"@type": "ListItem", "position": 1, "name": "Home", "item": BASE + "/"},
                    {"@type": "ListItem", "position": 2, "name": SECTIONS[post["section"]],
                     "item": f"{BASE}/category/{post['section']}/"},
                    {"@type": "ListItem", "position": 3, "name": post["title"]},
                ],
            },
            {
                "@type": "Organization",
                "@id": BASE + "/#organization",
                "name": "The Syrian Observer",
                "url": BASE + "/",
                "logo": f"{BASE}/wp-content/uploads/2019/06/logo-wide.png",
            },
        ],
    }
    return ('<script type="application/ld+json" class="yoast-schema-graph">'
            + json.dumps(graph, ensure_ascii=False) + "</script>\n")


def related_links(post: dict, posts: list[dict]) -> list[tuple[str, str]]:
    same = [p for p in posts if p["section"] == post["section"] and p["id"] != post["id"]]
    when = dt(post["published"]).timestamp()
    same.sort(key=lambda p: abs(dt(p["published"]).timestamp() - when))
    links = []
    for other in same[:3]:
        url = redirect_url_of(other) if other["id"] == REDIRECT_ID else url_of(other)
        links.append((url, other["title"]))
    if post["id"] == 58967:  # a related post that was deleted since
        links.append((GONE_URL, "UN Cross-Border Aid Resolution Expires"))
    return links


def article_page(post: dict, posts: list[dict], months: list[str], body_src: str,
                 modified: str) -> str:
    v = post["variant"]
    url = url_of(post)
    entities = bool(v.get("entities"))
    fix = texturize if entities else (lambda s: s)
    section_name = SECTIONS[post["section"]]
    image_url = f"{BASE}/wp-content/uploads/{post['image'][0]}"
    caption = post["image"][1]
    tag_metas = "".join(
        f'<meta property="article:tag" content="{attr(t)}" />\n' for t in post["tags"]
    )
    amp_link = f'<link rel="amphtml" href="{amp_url_of(post)}" />\n' if v.get("amp") else ""
    author_meta = ", ".join(post["authors"]) or "The Syrian Observer"
    extra = (
        f"""<meta property="og:locale" content="en_US" />
<meta property="og:type" content="article" />
<meta property="og:title" content="{attr(post['title'])}" />
<meta property="og:description" content="{attr(post['summary'])}" />
<meta property="og:url" content="{url}" />
<meta property="og:site_name" content="The Syrian Observer" />
<meta property="article:publisher" content="https://www.facebook.com/SyrianObserver" />
<meta property="article:section" content="{attr(section_name)}" />
{tag_metas}<meta property="article:published_time" content="{post['published']}" />
<meta property="article:modified_time" content="{modified}" />
<meta property="og:image" content="{image_url}" />
<meta property="og:image:width" content="1200" />
<meta property="og:image:height" content="800" />
<meta property="og:image:type" content="image/jpeg" />
<meta name="author" content="{attr(author_meta)}" />
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:site" content="@SyrianObserver" />
{amp_link}<link rel="shortlink" href="{BASE}/?p={post['id']}" />
"""
        + json_ld(post, modified)
    )
    blocks = parse_body(body_src)
    body_html = render_blocks(blocks, entities)
    standfirst = fix(esc(post["summary"]))
    if v.get("repeat_standfirst"):
        body_html = f"<p>{standfirst}</p>\n\n" + body_html
    byline_html = ""
    if post["byline"]:
        if v.get("byline_in_content"):
            body_html = f"<p><strong>{fix(esc(post['byline']))}</strong></p>\n\n" + body_html
        elif post["original_source"]:
            byline_html = f'<p class="source-line">{fix(esc(post["byline"]))}</p>\n'
        else:
            byline_html = f'<div class="byline"><span class="author vcard">{esc(post["byline"])}</span></div>\n'
    note = post["note"]
    if note:
        if v.get("nbsp_before_note"):
            body_html += "\n\n<p>&nbsp;</p>"
        body_html += f"\n\n<p><em>{fix(esc(note))}</em></p>"
    date_local = dt(post["published"]).date().isoformat()
    if v.get("hidden_date"):
        date_html = (f'<div class="entry-meta"><time class="entry-date published" datetime="'
                     f'{post["published"]}"></time></div>')
    else:
        date_html = (
            f'<div class="entry-meta"><span class="posted-on"><span class="meta-label">date</span> '
            f'<time class="entry-date published" datetime="{post["published"]}">{date_local}</time>'
            f'<time class="updated" datetime="{modified}" hidden></time></span></div>'
        )
    tags = "".join(
        f'<a href="{BASE}/tag/{tag_slug(t)}/" rel="tag">{esc(t)}</a>' for t in post["tags"]
    )
    tags_html = (f'<div class="post-tags">\n<h4 class="tags-title">Helpful keywords</h4>\n'
                 f'<div class="tags-links">{tags}</div>\n</div>\n')
    share = share_buttons(url, post["title"])
    related = "\n".join(
        f'<li><a href="{u}">{esc(t)}</a></li>' for u, t in related_links(post, posts)
    )
    tag_classes = " ".join(f"tag-{tag_slug(t)}" for t in post["tags"])
    return (
        head(f"{post['title']} - The Syrian Observer", url, extra, post["summary"])
        + f'<body class="post-template-default single single-post postid-{post["id"]} single-format-standard">\n'
        + site_header(section_name)
        + f"""<div id="content" class="site-content container">
<div class="breadcrumbs"><span><a href="{BASE}/">Home</a> &raquo; <a href="{BASE}/category/{post['section']}/">{esc(section_name)}</a> &raquo; <span class="breadcrumb_last" aria-current="page">{esc(post['title'])}</span></span></div>
<div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish format-standard has-post-thumbnail hentry category-{post['section']} {tag_classes}">
<header class="entry-header">
<h1 class="entry-title">{fix(esc(post['title']))}</h1>
{date_html}
</header>
{"" if v.get("share_at_end") else share}<div class="post-excerpt"><p>{standfirst}</p></div>
{byline_html}<figure class="post-thumbnail wp-caption">
<img width="1200" height="800" src="{image_url}" class="attachment-full size-full wp-post-image" alt="" decoding="async" fetchpriority="high" />
<figcaption class="wp-caption-text">{esc(caption)}</figcaption>
</figure>
<div class="entry-content">
{body_html}
</div><!-- .entry-content -->
{tags_html}{share if v.get("share_at_end") else ""}</article>
<section class="related-posts">
<h3 class="related-title">Related articles</h3>
<ul>
{related}
</ul>
</section>
{NEWSLETTER}</main>
</div>
<aside id="secondary" class="widget-area">
{archives_widget(months)}</aside>
</div><!-- #content -->
"""
        + site_footer()
    )


def amp_page(post: dict) -> str:
    url = url_of(post)
    blocks = parse_body(post["body"])
    body_html = render_blocks(blocks, entities=False)
    tags = " ".join(
        f'<a href="{BASE}/tag/{tag_slug(t)}/" rel="tag">{esc(t)}</a>' for t in post["tags"]
    )
    date_local = dt(post["published"]).date().isoformat()
    meta = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": post["title"],
            "datePublished": post["published"], "dateModified": post["modified"],
            "author": {"@type": "Organization", "name": "The Syrian Observer"},
            "mainEntityOfPage": url,
            "image": f"{BASE}/wp-content/uploads/{post['image'][0]}"}
    return f"""<!doctype html>
<html amp lang="en-US">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
<title>{esc(post['title'])} - The Syrian Observer</title>
<link rel="canonical" href="{url}">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}}</style><noscript><style amp-boilerplate>body{{-webkit-animation:none;animation:none}}</style></noscript>
<style amp-custom>body{{font-family:Georgia,serif}}.amp-wp-header{{background:#111}}</style>
<script type="application/ld+json">{json.dumps(meta, ensure_ascii=False)}</script>
</head>
<body class="amp-mode">
<header id="top" class="amp-wp-header">
<div><a href="{BASE}/"><amp-img src="{BASE}/wp-content/uploads/2019/06/logo-wide.png" width="210" height="32" alt="Logo Wide"></amp-img></a></div>
</header>
<article class="amp-wp-article">
<header class="amp-wp-article-header">
<h1 class="amp-wp-title">{esc(post['title'])}</h1>
<div class="amp-wp-meta amp-wp-posted-on"><time datetime="{post['published']}">{date_local}</time></div>
</header>
<div class="post-excerpt"><p>{esc(post['summary'])}</p></div>
<p class="source-line">{esc(post['byline'])}</p>
<figure class="amp-wp-article-featured-image wp-caption">
<amp-img width="1200" height="800" src="{BASE}/wp-content/uploads/{post['image'][0]}" layout="responsive" alt=""></amp-img>
<figcaption class="wp-caption-text">{esc(post['image'][1])}</figcaption>
</figure>
<div class="amp-wp-article-content">
{body_html}

<p><em>{esc(post['note'])}</em></p>
</div>
<footer class="amp-wp-article-footer">
<div class="post-tags"><h4>Helpful keywords</h4>{tags}</div>
<div class="amp-wp-share"><a href="https://www.facebook.com/sharer/sharer.php?u={url}">Share on Facebook</a> <a href="https://twitter.com/intent/tweet?url={url}">Share on Twitter</a></div>
</footer>
</article>
<footer class="amp-wp-footer">
<p>&copy; 2013-2025 The Syrian Observer. All rights reserved.</p>
<a href="{url}" class="amp-wp-canonical-link">View the full version</a>
</footer>
</body>
</html>
"""


def eid_page(post: dict, months: list[str]) -> str:
    url = url_of(post)
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in post["body"].split("\n\n"))
    extra = (og_meta(post["title"], "article")
             + '<meta property="article:section" content="Uncategorized" />\n'
             f'<meta property="article:published_time" content="{post["published"]}" />\n'
             f'<meta property="article:modified_time" content="{post["modified"]}" />\n')
    return (
        head(f"{post['title']} - The Syrian Observer", url, extra, post["summary"])
        + f'<body class="post-template-default single single-post postid-{post["id"]}">\n'
        + site_header()
        + f"""<div id="content" class="site-content container">
<div class="breadcrumbs"><span><a href="{BASE}/">Home</a> &raquo; <a href="{BASE}/category/uncategorized/">Uncategorized</a> &raquo; <span class="breadcrumb_last">{esc(post['title'])}</span></span></div>
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish category-uncategorized">
<header class="entry-header"><h1 class="entry-title">{esc(post['title'])}</h1>
<div class="entry-meta"><span class="posted-on"><span class="meta-label">date</span> <time class="entry-date published" datetime="{post['published']}">{dt(post['published']).date().isoformat()}</time></span></div></header>
<div class="entry-content">
{paras}
</div>
</article>
</main></div>
<aside id="secondary" class="widget-area">
{archives_widget(months)}</aside>
</div>
"""
        + site_footer()
    )


def static_page(path: str, title: str, paragraphs: list[str], months: list[str]) -> str:
    url = f"{BASE}{path}"
    paras = "\n".join(f"<p>{esc(p)}</p>" for p in paragraphs)
    extra = og_meta(title)
    return (
        head(f"{title} - The Syrian Observer", url, extra)
        + '<body class="page-template-default page">\n'
        + site_header("About Us" if path == "/about-us/" else "")
        + f"""<div id="content" class="site-content container">
<div id="primary" class="content-area"><main id="main" class="site-main">
<article class="page type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{esc(title)}</h1></header>
<div class="entry-content">
{paras}
</div>
</article>
</main></div>
<aside id="secondary" class="widget-area">
{archives_widget(months)}</aside>
</div>
"""
        + site_footer()
    )


ABOUT = [
    "The Syrian Observer is a daily online news service covering Syrian political and civil "
    "society news. It was founded in 2013 to give English-speaking readers access to what "
    "Syrians themselves publish about their country.",
    "Every day, our editors select, translate and summarise stories from pro-government, "
    "opposition, Kurdish and pan-Arab media, and publish commentary and interviews written for "
    "the site.",
    "The Syrian Observer does not verify the content of the stories translated and does not "
    "necessarily endorse the viewpoints expressed in them. Each story names the outlet it comes "
    "from and, where known, its political orientation.",
]

PRIVACY = [
    "This website uses cookies to count visits and to remember your cookie choice. We do not "
    "sell personal data.",
    "If you subscribe to our newsletter, your email address is used only to send it, and you can "
    "unsubscribe at any time.",
]

PREVIEW = [
    "Draft: not for publication.",
    "This page is a preview of an upcoming year-in-review package and must not be crawled.",
]


# --------------------------------------------------------------------------
# Listing pages (home, categories, tags, date archives)
# --------------------------------------------------------------------------


def listing_item(post: dict) -> str:
    url = url_of(post)
    return f"""<article id="post-{post['id']}" class="post-{post['id']} post type-post status-publish hentry category-{post['section']} listing-item">
  <h2 class="entry-title"><a href="{url}" rel="bookmark">{esc(post['title'])}</a></h2>
  <div class="entry-meta"><span class="posted-on">{listing_date(post['published'])}</span></div>
  <div class="entry-summary"><p>{esc(post['summary'])}</p></div>
  <a class="more-link" href="{url}">Read more</a>
</article>"""


def pagination(base_path: str, page: int, pages: int) -> str:
    if pages <= 1:
        return ""
    parts = page_numbers(lambda n: BASE + page_path(base_path, n), page, pages,
                         "Newer posts", "Older posts")
    return ('<nav class="navigation pagination" aria-label="Posts">\n'
            '<h2 class="screen-reader-text">Posts navigation</h2>\n<div class="nav-links">'
            + "".join(parts) + "</div>\n</nav>\n")


def listing_pages(base_path: str, title: str, posts: list[dict], posts_by_id: dict,
                  months: list[str], body_class: str) -> dict[str, str]:
    """{relative file path: html} for every page of one listing."""
    pages = chunks(posts, PER_PAGE)
    files = {}
    for number, chunk in enumerate(pages, start=1):
        path = page_path(base_path, number)
        url = BASE + path
        links = ""
        if number > 1:
            links += f'<link rel="prev" href="{BASE}{page_path(base_path, number - 1)}" />\n'
        if number < len(pages):
            links += f'<link rel="next" href="{BASE}{page_path(base_path, number + 1)}" />\n'
        page_title = title if number == 1 else f"{title} - Page {number} of {len(pages)}"
        extra = og_meta(page_title) + links
        items = "\n".join(listing_item(p) for p in chunk)
        current = title if title in SECTIONS.values() else ""
        files[path.lstrip("/") + "index.html"] = (
            head(f"{page_title} Archives - The Syrian Observer", url, extra)
            + f'<body class="archive {body_class}">\n'
            + site_header(current)
            + f"""<div id="content" class="site-content container">
<div class="breadcrumbs"><span><a href="{BASE}/">Home</a> &raquo; <span class="breadcrumb_last">{esc(title)}</span></span></div>
<div id="primary" class="content-area"><main id="main" class="site-main">
<header class="page-header"><h1 class="page-title">{esc(title)}</h1></header>
{items}
{pagination(base_path, number, len(pages))}</main></div>
<aside id="secondary" class="widget-area">
{most_read_widget(posts_by_id)}{archives_widget(months)}</aside>
</div>
"""
            + site_footer()
        )
    return files


def home_page(posts: list[dict], posts_by_id: dict, months: list[str]) -> str:
    latest = "\n".join(listing_item(p) for p in posts[:8])
    extra = og_meta("The Syrian Observer")
    return (
        head("The Syrian Observer - Syrian political and civil society news", BASE + "/", extra,
             "Daily news and commentary on Syrian politics and civil society.")
        + '<body class="home blog">\n'
        + site_header()
        + f"""<div id="content" class="site-content container">
<div id="primary" class="content-area"><main id="main" class="site-main">
<section class="home-latest"><h2 class="section-title">Latest</h2>
{latest}
<p class="all-posts"><a href="{BASE}/category/news/">All news</a></p>
</section>
<section class="home-coming-soon" hidden><a href="{PREVIEW_URL}">2025: the year in review</a></section>
{NEWSLETTER}</main></div>
<aside id="secondary" class="widget-area">
{most_read_widget(posts_by_id)}{archives_widget(months)}</aside>
</div>
"""
        + site_footer()
    )


# --------------------------------------------------------------------------
# Feed, sitemaps, robots.txt
# --------------------------------------------------------------------------


def feed_xml(posts: list[dict], last_build: str) -> str:
    items = [wp_feed_item(title=post["title"],
                          link=utm_url_of(post) if post["id"] == AMP_ID else url_of(post),
                          creator=", ".join(post.get("authors") or []) or "The Syrian Observer",
                          published=post["published"],
                          categories=[SECTIONS[post["section"]], *post.get("tags", [])],
                          guid=f"{BASE}/?p={post['id']}", description=post["summary"])
             for post in posts[:FEED_SIZE]]
    return wp_feed(title="The Syrian Observer", feed_url=f"{BASE}/feed/", link=BASE,
                   description="Syrian political and civil society news", last_build=last_build,
                   language="en-US", generator="6.7.1", items=items)


XSL = stylesheet("//syrianobserver.com/main-sitemap.xsl") + "\n"
URLSET_NS = ('xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
             'xmlns:image="http://www.google.com/schemas/sitemap-image/1.1" '
             'xsi:schemaLocation="http://www.sitemaps.org/schemas/sitemap/0.9 '
             'http://www.sitemaps.org/schemas/sitemap/0.9/sitemap.xsd '
             'http://www.google.com/schemas/sitemap-image/1.1 '
             'http://www.google.com/schemas/sitemap-image/1.1/imageSitemap.xsd" '
             'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"')


def sitemap_xml(post_lastmod: str, page_lastmod: str) -> str:
    """/sitemap.xml: Yoast's index of the post and page sitemaps."""
    return sitemap_index([(f"{BASE}/post-sitemap.xml", post_lastmod),
                          (f"{BASE}/page-sitemap.xml", page_lastmod)], XSL, YOAST + "\n")


def urlset_xml(entries: list[tuple[str, str, str | None]]) -> str:
    """A Yoast urlset of (loc, lastmod, image URL or None)."""
    return urlset(entries, XSL, YOAST + "\n", URLSET_NS)


def post_sitemap(posts: list[dict], modified: dict[int, str]) -> str:
    entries = []
    for post in sorted(posts, key=lambda p: utc_iso(modified[p["id"]])):  # Yoast: oldest first
        image = f"{BASE}/wp-content/uploads/{post['image'][0]}" if post.get("image") else None
        entries.append((url_of(post), utc_iso(modified[post["id"]]), image))
    return urlset_xml(entries)


ROBOTS = robots([*WP_ADMIN, "Disallow: /private-preview/"], [f"{BASE}/sitemap.xml"])


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


def site_toml(amp_post: dict, redirect_post: dict, last_build: str, edited_at: str) -> str:
    amp_path = url_of(amp_post).removeprefix(BASE) + "/amp"
    return f"""# Offline copy of The Syrian Observer (WordPress). See scraper/offline/sites/README.md.
# Regenerate with: python scraper/offline/sites/build_syrianobserver.py
host = "syrianobserver.com"
scheme = "https"
# Last-Modified of every file not given one below (the feed's lastBuildDate).
last_modified = "{http_date(last_build)}"

# WordPress serves the feed at /feed and /feed/.
[routes."/feed"]
file = "feed.xml"
content_type = "application/rss+xml; charset=UTF-8"
last_modified = "{http_date(last_build)}"

[routes."/feed/"]
file = "feed.xml"
content_type = "application/rss+xml; charset=UTF-8"
last_modified = "{http_date(last_build)}"

# The AMP version of one article (hard case: same story, second URL).
[routes."{amp_path}/"]
file = "amp/{amp_post['id']}.html"

[routes."{amp_path}"]
location = "{BASE}{amp_path}/"
status = 301

# An old permalink without the post id (hard case: redirect to the canonical URL).
[routes."{redirect_url_of(redirect_post).removeprefix(BASE)}"]
location = "{url_of(redirect_post)}"
status = 301

# A deleted post, still linked from a "Related articles" list.
[routes."{GONE_URL.removeprefix(BASE)}"]
status = 410

# Hard case: an article edited after publication. Activate with
# MirrorServer.activate_overlay("syrianobserver.com", "edited"): the article, the
# feed (lastBuildDate) and the post sitemap (lastmod) change.
[overlays.edited]
dir = "edited"
last_modified = "{http_date(edited_at)}"
"""


def build(out: Path = OUT) -> dict:
    articles = [dict(a) for a in ARTICLES]
    for a in articles:
        if a["body"] == "@@HERMON@@":
            a["body"] = HERMON_BODY
    eid = dict(EID, authors=[], tags=[], image=None)
    posts = sorted([*articles, eid], key=lambda p: utc_iso(p["published"]), reverse=True)
    by_id = {p["id"]: p for p in posts}
    months = sorted({dt(p["published"]).strftime("%Y/%m") for p in posts}, reverse=True)

    for sub in ("www", "edited"):
        shutil.rmtree(out / sub, ignore_errors=True)
    www, edited_dir = out / "www", out / "edited"

    modified = {p["id"]: p["modified"] for p in posts}
    last_build = max((p["modified"] for p in posts), key=utc_iso)
    write(www, "robots.txt", ROBOTS)
    write(www, "feed.xml", feed_xml(posts, last_build))
    page_lastmod = "2025-03-02T10:11:12+00:00"
    write(www, "sitemap.xml", sitemap_xml(utc_iso(last_build), page_lastmod))
    write(www, "post-sitemap.xml", post_sitemap(posts, modified))
    write(www, "page-sitemap.xml", urlset_xml([
        (BASE + "/", utc_iso(last_build), None),
        (BASE + "/about-us/", page_lastmod, None),
        (BASE + "/privacy-policy/", "2021-05-04T08:00:00+00:00", None),
    ]))
    write(www, "index.html", home_page(posts, by_id, months))
    write(www, "about-us/index.html", static_page("/about-us/", "About Us", ABOUT, months))
    write(www, "privacy-policy/index.html",
          static_page("/privacy-policy/", "Privacy policy", PRIVACY, months))
    write(www, PREVIEW_URL.removeprefix(BASE + "/"),
          static_page(PREVIEW_URL.removeprefix(BASE), "2025: the year in review", PREVIEW, months))

    for a in articles:
        write(www, url_of(a).removeprefix(BASE + "/"),
              article_page(a, articles, months, a["body"], a["modified"]))
    write(www, url_of(eid).removeprefix(BASE + "/"), eid_page(eid, months))
    amp_post = by_id[AMP_ID]
    write(www, f"amp/{AMP_ID}.html", amp_page(amp_post))

    listings: dict[str, dict] = {}

    def add_listing(base_path: str, title: str, items: list[dict], body_class: str) -> None:
        files = listing_pages(base_path, title, items, by_id, months, body_class)
        for rel, text in files.items():
            write(www, rel, text)
        listings[BASE + base_path] = {
            "pages": len(files),
            "posts": [url_of(p) for p in items],
        }

    for section, name in SECTIONS.items():
        add_listing(f"/category/{section}/", name,
                    [p for p in posts if p["section"] == section], f"category category-{section}")
    tags = sorted({t for a in articles for t in a["tags"]}, key=tag_slug)
    for tag in tags:
        add_listing(f"/tag/{tag_slug(tag)}/", tag,
                    [p for p in posts if tag in p["tags"]], f"tag tag-{tag_slug(tag)}")
    for ym in months:
        title = datetime.strptime(ym, "%Y/%m").strftime("%B %Y")
        add_listing(f"/{ym}/", title,
                    [p for p in posts if dt(p["published"]).strftime("%Y/%m") == ym], "date")

    # -- overlay "edited": the same article, one paragraph changed, later modified time
    target = by_id[EDITED["id"]]
    assert target["body"].count(EDITED["old"]) == 1
    edited_body = target["body"].replace(EDITED["old"], EDITED["new"])
    write(edited_dir, url_of(target).removeprefix(BASE + "/"),
          article_page(target, articles, months, edited_body, EDITED["modified"]))
    modified_after = {**modified, target["id"]: EDITED["modified"]}
    write(edited_dir, "feed.xml", feed_xml(posts, EDITED["modified"]))
    write(edited_dir, "post-sitemap.xml", post_sitemap(posts, modified_after))
    write(edited_dir, "sitemap.xml", sitemap_xml(utc_iso(EDITED["modified"]), page_lastmod))

    redirect_post = by_id[REDIRECT_ID]
    write(out, "site.toml", site_toml(amp_post, redirect_post, last_build, EDITED["modified"]))

    # -- expected.json: the known answers
    bodies = {a["id"]: clean_body(parse_body(a["body"])) for a in articles}
    captions = [a["image"][1] for a in articles]
    cruft = list(CRUFT) + [c for c in captions if not any(c in b for b in bodies.values())]
    expected_articles = []
    for a in sorted(articles, key=lambda p: utc_iso(p["published"]), reverse=True):
        body = bodies[a["id"]]
        assert_clean(a["slug"], body, cruft)
        assert a["summary"] not in body, a["slug"]
        expected_articles.append(expected_article(  # this copy's answers have no "language"
            url=url_of(a), title=a["title"], summary=a["summary"], authors=a["authors"],
            original_source=a["original_source"], original_stance=a["original_stance"],
            published=a["published"], modified=a["modified"], section=SECTIONS[a["section"]],
            tags=a["tags"], translated=a["translated"], editorial_note=a["note"],
            image=f"{BASE}/wp-content/uploads/{a['image'][0]}", body=body))
    aliases = {
        utm_url_of(amp_post): url_of(amp_post),
        amp_url_of(amp_post): url_of(amp_post),
        amp_url_of(amp_post).rstrip("/"): url_of(amp_post),
        redirect_url_of(redirect_post): url_of(redirect_post),
    }
    listing_urls = []
    for base_url, info in listings.items():
        listing_urls += page_urls(base_url, info["pages"])
    expected = expected_json(
        source="syrianobserver",
        host="syrianobserver.com",
        feed=f"{BASE}/feed",
        sitemap=f"{BASE}/sitemap.xml",
        articles=expected_articles,
        aliases=aliases,
        not_articles=[BASE + "/", f"{BASE}/about-us/", f"{BASE}/privacy-policy/",
                      url_of(eid), *listing_urls],
        disallowed=[PREVIEW_URL],
        gone=[GONE_URL],
        edited={
            "url": url_of(target),
            "overlay": "edited",
            "changed_text": EDITED["changed_text"],
            "updated": utc_iso(EDITED["modified"]),
            "body": clean_body(parse_body(edited_body)),
        },
        feed_items=[
            utm_url_of(p) if p["id"] == AMP_ID else url_of(p) for p in posts[:FEED_SIZE]
        ],
        listings=listings,
        cruft=cruft,
    )
    return write_expected(out, expected)


if __name__ == "__main__":
    result = build()
    print(f"{len(result['articles'])} articles written to {OUT}")
