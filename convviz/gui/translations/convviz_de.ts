<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_GB">
<context>
    <name>ArchEditor</name>
    <message>
        <location filename="../archeditor.py" line="34"/>
        <source>data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="35"/>
        <source>view, no copy</source>
        <translation>nur umgeformt, keine Kopie</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="36"/>
        <source>padded copy</source>
        <translation>aufgefüllte Kopie</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="195"/>
        <source>Not a network: {message}</source>
        <translation>Kein gültiges Netz: {message}</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="198"/>
        <source>Type a network, e.g. {example}</source>
        <translation>Ein Netz eingeben, zum Beispiel {example}</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="203"/>
        <source>{params} parameters ({weights} of weights)</source>
        <translation>{params} Parameter ({weights} an Gewichten)</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="213"/>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="232"/>
        <source>One training step, all {images} images at once: {full}</source>
        <translation>Ein Trainingsschritt mit allen {images} Bildern auf einmal: {full}</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="233"/>
        <source>One training step, a mini-batch of {size}: {batch}, {ratio}× less</source>
        <translation>Ein Trainingsschritt mit einem Stapel von {size}: {batch}, {ratio}× weniger</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="247"/>
        <source>Start from</source>
        <translation>Ausgehend von</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="248"/>
        <source>a built-in network…</source>
        <translation>einem eingebauten Netz…</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="249"/>
        <source>&amp;Network</source>
        <translation>&amp;Netz</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="250"/>
        <source>Use</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="251"/>
        <source>Train and show this network (Enter)</source>
        <translation>Dieses Netz trainieren und zeigen (Eingabetaste)</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>Layers joined by -, for example {example}:</source>
        <translation>Schichten, durch - verbunden, zum Beispiel {example}:</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>pad2: 2 zeros around the image</source>
        <translation>pad2: 2 Nullen rings um das Bild</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>conv32@5x5: 32 filters of 5×5, the output as large as the input</source>
        <translation>conv32@5x5: 32 Filter der Größe 5×5, die Ausgabe behält die Größe der Eingabe</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>conv32@5x5v: valid, without a border of zeros; conv32@5x5/2: stride 2</source>
        <translation>conv32@5x5v: valid, ohne Rand aus Nullen; conv32@5x5/2: Schrittweite 2</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>pool2: the maximum of each 2×2 window</source>
        <translation>pool2: der größte Wert jedes 2×2-Fensters</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>dense128: 128 units</source>
        <translation>dense128: 128 Neuronen</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="252"/>
        <source>The reshape before the first dense layer and the 10-way output layer are added.</source>
        <translation>Die Umformung vor der ersten dense-Schicht und die Ausgabeschicht für die 10 Ziffern kommen von selbst hinzu.</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="262"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="262"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="262"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="262"/>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="262"/>
        <source>All {images} images</source>
        <translation>Alle {images} Bilder</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="262"/>
        <source>Batch of {size}</source>
        <translation>Stapel von {size}</translation>
    </message>
    <message>
        <location filename="../archeditor.py" line="297"/>
        <source>Your own network</source>
        <translation>Eigenes Netz</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../widgets.py" line="48"/>
        <source>Hide this message</source>
        <translation>Diese Meldung ausblenden</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../controller.py" line="126"/>
        <source>MNIST ready: {train} training and {test} test images</source>
        <translation>MNIST bereit: {train} Trainings- und {test} Testbilder</translation>
    </message>
    <message>
        <location filename="../controller.py" line="143"/>
        <source>MNIST: {message}</source>
        <translation>MNIST: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="182"/>
        <source>Could not load the model: {message}</source>
        <translation>Das Modell ließ sich nicht laden: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="184"/>
        <source>Could not build the pretrained model: {message}</source>
        <translation>Das vortrainierte Modell ließ sich nicht aufbauen: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="186"/>
        <source>Could not build the untrained model: {message}</source>
        <translation>Das untrainierte Modell ließ sich nicht aufbauen: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="218"/>
        <source>The pad cannot use these weights: {message}</source>
        <translation>Die Zeichenfläche kann diese Gewichte nicht verwenden: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="237"/>
        <source>Could not build the {arch} network for the pad: {message}</source>
        <translation>Das Netz {arch} für die Zeichenfläche ließ sich nicht aufbauen: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="255"/>
        <source>there is no model to save yet</source>
        <translation>es gibt noch kein Modell zum Speichern</translation>
    </message>
    <message>
        <location filename="../controller.py" line="288"/>
        <source>MNIST is not on this computer yet.</source>
        <translation>MNIST ist noch nicht auf diesem Rechner.</translation>
    </message>
    <message>
        <location filename="../controller.py" line="291"/>
        <source>Waiting for MNIST to load…</source>
        <translation>Warte, bis MNIST geladen ist…</translation>
    </message>
    <message>
        <location filename="../controller.py" line="314"/>
        <source>Training stopped: {message}</source>
        <translation>Training abgebrochen: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py" line="420"/>
        <source>The network gives no answer: {message}</source>
        <translation>Das Netz gibt keine Antwort: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py"/>
        <source>The run was not saved: {message}</source>
        <translation>Der Lauf wurde nicht gespeichert: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py"/>
        <source>Could not read the saved runs: {message}</source>
        <translation>Die gespeicherten Läufe ließen sich nicht lesen: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py"/>
        <source>Could not load the run: {message}</source>
        <translation>Der Lauf ließ sich nicht laden: {message}</translation>
    </message>
    <message>
        <location filename="../controller.py"/>
        <source>This run was saved without its weights.</source>
        <translation>Dieser Lauf wurde ohne seine Gewichte gespeichert.</translation>
    </message>
    <message>
        <location filename="../controller.py"/>
        <source>Could not delete the run: {message}</source>
        <translation>Der Lauf ließ sich nicht löschen: {message}</translation>
    </message>
</context>
<context>
    <name>Controls</name>
    <message>
        <source>your own network: {spec}</source>
        <translation>eigenes Netz: {spec}</translation>
    </message>
    <message>
        <source>your own…</source>
        <translation>eigenes…</translation>
    </message>
    <message>
        <source>Write your own network, e.g. conv32@5x5-pool2-dense128, and see its shapes</source>
        <translation>Ein eigenes Netz schreiben, z. B. conv32@5x5-pool2-dense128, und seine Formen sehen</translation>
    </message>
    <message>
        <location filename="../controls.py" line="40"/>
        <source>the dense net of the previous exercise</source>
        <translation>das dichte Netz der vorigen Übung</translation>
    </message>
    <message>
        <location filename="../controls.py" line="41"/>
        <source>a compact CNN: two conv + pool stages</source>
        <translation>ein kompaktes CNN: zwei Stufen aus conv + pool</translation>
    </message>
    <message>
        <location filename="../controls.py" line="42"/>
        <source>the CNN in the exercise notebook&apos;s template</source>
        <translation>das CNN aus der Vorlage des Übungsnotebooks</translation>
    </message>
    <message>
        <location filename="../controls.py" line="43"/>
        <source>LeCun et al.&apos;s LeNet-5 (1998)</source>
        <translation>LeNet-5 von LeCun und anderen (1998)</translation>
    </message>
    <message>
        <location filename="../controls.py" line="100"/>
        <source>full speed</source>
        <translation>volles Tempo</translation>
    </message>
    <message>
        <location filename="../controls.py" line="102"/>
        <source>{speed} batch/s</source>
        <translation>{speed} Stapel/s</translation>
    </message>
    <message>
        <location filename="../controls.py" line="103"/>
        <source>{speed} batches/s</source>
        <translation>{speed} Stapel/s</translation>
    </message>
    <message>
        <location filename="../controls.py" line="116"/>
        <source>{params} parameters · memory: full batch ({images}) {full}, mini-batch ({size}) {batch}</source>
        <translation>{params} Parameter · Speicher: alle Bilder auf einmal ({images}) {full}, ein Stapel ({size}) {batch}</translation>
    </message>
    <message>
        <location filename="../controls.py" line="298"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../controls.py" line="299"/>
        <source>architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../controls.py" line="300"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>batching</source>
        <translation>Stapelbildung</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>rate decay</source>
        <translation>Abklingrate</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <location filename="../controls.py" line="301"/>
        <source>train on</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <location filename="../controls.py" line="321"/>
        <source>Arrows step 1-2-5 per decade; switching optimizer suggests a rate</source>
        <translation>Die Pfeile gehen in Schritten 1-2-5 je Dekade; ein anderer Optimierer schlägt eine Lernrate vor</translation>
    </message>
    <message>
        <location filename="../controls.py" line="324"/>
        <source>SGD only; 0 is plain gradient descent</source>
        <translation>Nur für SGD; 0 ist das einfache Gradientenverfahren</translation>
    </message>
    <message>
        <location filename="../controls.py" line="325"/>
        <source> {times} per epoch</source>
        <translation> {times} je Epoche</translation>
    </message>
    <message>
        <location filename="../controls.py" line="326"/>
        <source>Multiply the learning rate by this after every epoch; 1 keeps it constant</source>
        <translation>Die Lernrate wird nach jeder Epoche mit diesem Faktor multipliziert; 1 hält sie konstant</translation>
    </message>
    <message>
        <location filename="../controls.py" line="329"/>
        <source> images</source>
        <translation> Bildern</translation>
    </message>
    <message>
        <location filename="../controls.py" line="330"/>
        <source>all {images}</source>
        <translation>alle {images}</translation>
    </message>
    <message>
        <location filename="../controls.py" line="331"/>
        <source>Train on the first N images only: quick demos</source>
        <translation>Nur mit den ersten N Bildern trainieren: für schnelle Vorführungen</translation>
    </message>
    <message>
        <location filename="../controls.py" line="332"/>
        <source>▶ Start</source>
        <translation>▶ Start</translation>
    </message>
    <message>
        <location filename="../controls.py" line="333"/>
        <source>■ Stop</source>
        <translation>■ Stopp</translation>
    </message>
    <message>
        <location filename="../controls.py" line="334"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../controls.py" line="335"/>
        <source>Train exactly one batch, then pause: one weight update at a time (with no run, starts one)</source>
        <translation>Genau einen Stapel trainieren, dann pausieren: eine Gewichtsänderung nach der anderen (ohne laufendes Training startet eines)</translation>
    </message>
    <message>
        <location filename="../controls.py" line="339"/>
        <source>Pause or resume the run (space bar)</source>
        <translation>Training pausieren oder fortsetzen (Leertaste)</translation>
    </message>
    <message>
        <location filename="../controls.py" line="341"/>
        <source>speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <location filename="../controls.py" line="342"/>
        <source>Batches a second, also during a run; slow speeds show every batch&apos;s loss and weights</source>
        <translation>Stapel pro Sekunde, auch während des Trainings; langsam zeigt jeden Stapel mit Verlust und Gewichten</translation>
    </message>
    <message>
        <location filename="../controls.py" line="346"/>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location filename="../controls.py" line="347"/>
        <source>Save the model in use (weights.npz + model.json) into a folder</source>
        <translation>Das verwendete Modell (weights.npz + model.json) in einen Ordner speichern</translation>
    </message>
    <message>
        <location filename="../controls.py" line="350"/>
        <source>Load…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <location filename="../controls.py" line="351"/>
        <source>Load a saved model folder</source>
        <translation>Einen gespeicherten Modellordner laden</translation>
    </message>
    <message>
        <location filename="../controls.py" line="352"/>
        <source>Pretrained</source>
        <translation>Vortrainiert</translation>
    </message>
    <message>
        <location filename="../controls.py" line="353"/>
        <source>Load the shipped, fully trained weights for this architecture</source>
        <translation>Die mitgelieferten, fertig trainierten Gewichte dieser Architektur laden</translation>
    </message>
    <message>
        <location filename="../controls.py" line="463"/>
        <source>Resume</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../controls.py" line="463"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../controls.py" line="490"/>
        <source>Not started: {problem}</source>
        <translation>Nicht gestartet: {problem}</translation>
    </message>
</context>
<context>
    <name>Convolution</name>
    <message>
        <location filename="../inside.py" line="52"/>
        <source>slow</source>
        <translation>langsam</translation>
    </message>
    <message>
        <location filename="../inside.py" line="53"/>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <location filename="../inside.py" line="54"/>
        <source>fast</source>
        <translation>schnell</translation>
    </message>
    <message>
        <location filename="../inside.py" line="55"/>
        <source>very fast</source>
        <translation>sehr schnell</translation>
    </message>
    <message>
        <location filename="../inside.py" line="336"/>
        <source>The convolution appears once a model is ready.</source>
        <translation>Die Faltung erscheint, sobald ein Modell bereit ist.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="341"/>
        <source>layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../inside.py" line="342"/>
        <source>filter:</source>
        <translation>Filter:</translation>
    </message>
    <message>
        <location filename="../inside.py" line="343"/>
        <source>input channel:</source>
        <translation>Eingangskanal:</translation>
    </message>
    <message>
        <location filename="../inside.py" line="345"/>
        <source>The grids show one input channel; the sum runs over all of them</source>
        <translation>Die Raster zeigen einen Eingangskanal; die Summe läuft über alle</translation>
    </message>
    <message>
        <location filename="../inside.py" line="347"/>
        <source>position (row, column):</source>
        <translation>Stelle (Zeile, Spalte):</translation>
    </message>
    <message>
        <location filename="../inside.py" line="348"/>
        <source>row of the output position</source>
        <translation>Zeile der Ausgabestelle</translation>
    </message>
    <message>
        <location filename="../inside.py" line="349"/>
        <source>column of the output position</source>
        <translation>Spalte der Ausgabestelle</translation>
    </message>
    <message>
        <location filename="../inside.py" line="350"/>
        <source>speed:</source>
        <translation>Tempo:</translation>
    </message>
    <message>
        <location filename="../inside.py" line="351"/>
        <source>kernel positions a second</source>
        <translation>Stellen des Kerns pro Sekunde</translation>
    </message>
    <message>
        <location filename="../inside.py" line="355"/>
        <source>products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <location filename="../inside.py" line="357"/>
        <source>The ReLU turns a negative sum into 0; the last line is the network's own value</source>
        <translation>Die ReLU macht aus einer negativen Summe 0; die letzte Zeile ist der Wert des Netzes selbst</translation>
    </message>
    <message>
        <location filename="../inside.py" line="366"/>
        <source>❚❚ Pause</source>
        <translation>❚❚ Pause</translation>
    </message>
    <message>
        <location filename="../inside.py" line="367"/>
        <source>Stop the kernel where it is</source>
        <translation>Den Kern anhalten, wo er gerade ist</translation>
    </message>
    <message>
        <location filename="../inside.py" line="369"/>
        <source>▶ Slide</source>
        <translation>▶ Schieben</translation>
    </message>
    <message>
        <location filename="../inside.py" line="371"/>
        <source>Slide the kernel over the input and fill the feature map</source>
        <translation>Den Kern über die Eingabe schieben und die Merkmalskarte füllen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="404"/>
        <source>The {arch} network has no convolution: its first layer weighs each pixel on its own.</source>
        <translation>Das Netz {arch} hat keine Faltung: seine erste Schicht gewichtet jeden Bildpunkt einzeln.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="409"/>
        <source>Choose cnn, template or lenet5 to look inside a convolution.</source>
        <translation>Für einen Blick in eine Faltung cnn, template oder lenet5 wählen.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="653"/>
        <source>Choose a digit (feature maps) or draw one.</source>
        <translation>Eine Ziffer wählen (Merkmalskarten) oder eine zeichnen.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="704"/>
        <source>input patch ({size})</source>
        <translation>Ausschnitt ({size})</translation>
    </message>
    <message>
        <location filename="../inside.py" line="705"/>
        <source>kernel of filter {index}</source>
        <translation>Kern von Filter {index}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="710"/>
        <source>input {size}</source>
        <translation>Eingabe {size}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="715"/>
        <source>{layer}, channel {channel}</source>
        <translation>{layer}, Kanal {channel}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="719"/>
        <source>grey: zeros around the edge</source>
        <translation>grau: Nullen am Rand</translation>
    </message>
    <message>
        <location filename="../inside.py" line="720"/>
        <source>click: move the kernel there</source>
        <translation>Klick: den Kern dorthin setzen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="722"/>
        <source>feature map {index}</source>
        <translation>Merkmalskarte {index}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="724"/>
        <source>{layer}'s map {index} as the network computed it; click: pick a position</source>
        <translation>Karte {index} von {layer}, wie das Netz sie berechnet; Klick: eine Stelle wählen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="751"/>
        <source>channel {channel}</source>
        <translation>Kanal {channel}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="753"/>
        <source>all {count} channels</source>
        <translation>alle {count} Kanäle</translation>
    </message>
    <message>
        <location filename="../inside.py" line="756"/>
        <source>{count} products</source>
        <translation>{count} Produkte</translation>
    </message>
    <message>
        <location filename="../inside.py" line="758"/>
        <source>bias</source>
        <translation>Bias</translation>
    </message>
    <message>
        <location filename="../inside.py" line="759"/>
        <source>before the ReLU</source>
        <translation>vor der ReLU</translation>
    </message>
    <message>
        <location filename="../inside.py" line="760"/>
        <source>ReLU → map ({row}, {col})</source>
        <translation>ReLU → Karte ({row}, {col})</translation>
    </message>
    <message>
        <location filename="../inside.py" line="765"/>
        <source>the network computed</source>
        <translation>das Netz berechnete</translation>
    </message>
    <message>
        <location filename="../insidejobs.py" line="363"/>
        <source>the drawing</source>
        <translation>die Zeichnung</translation>
    </message>
    <message>
        <location filename="../insidejobs.py" line="365"/>
        <source>test image {index}</source>
        <translation>Testbild {index}</translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>Dense net 784-300-10 (the previous exercise)</source>
        <translation>Dichtes Netz 784-300-10 (die vorige Übung)</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>CNN: conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10</source>
        <translation>CNN: conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>Template CNN: conv 64@5x5, conv 64@5x5, dense 128, dense 10</source>
        <translation>CNN der Vorlage: conv 64@5x5, conv 64@5x5, dense 128, dense 10</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>LeNet-5: pad to 32x32, conv 6@5x5, pool, conv 16@5x5, pool, conv 120@5x5, dense 84</source>
        <translation>LeNet-5: auf 32x32 aufgefüllt, conv 6@5x5, pool, conv 16@5x5, pool, conv 120@5x5, dense 84</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>numpy: a random batch taken at the last moment, fed through placeholders</source>
        <translation>numpy: ein zufälliger Stapel, erst im letzten Moment gezogen und über Platzhalter eingespeist</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>tf.data: Dataset.from_tensor_slices + shuffle + batch, initializable iterator</source>
        <translation>tf.data: Dataset.from_tensor_slices → .shuffle() → .batch(), initialisierbarer Iterator</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>tf.estimator: Estimator with a model_fn returning an EstimatorSpec</source>
        <translation>tf.estimator: ein Estimator, dessen model_fn eine EstimatorSpec liefert</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>not sure</source>
        <translation>unsicher</translation>
    </message>
    <message>
        <location filename="../i18n.py" line="197"/>
        <source>not a digit</source>
        <translation>keine Ziffer</translation>
    </message>
</context>
<context>
    <name>DataJob</name>
    <message>
        <location filename="../worker.py" line="532"/>
        <source>MNIST is not on this computer yet (about 11 MB to download).</source>
        <translation>MNIST ist noch nicht auf diesem Rechner (etwa 11 MB zum Herunterladen).</translation>
    </message>
    <message>
        <location filename="../worker.py" line="537"/>
        <source>the MNIST download was cancelled</source>
        <translation>das Herunterladen von MNIST wurde abgebrochen</translation>
    </message>
</context>
<context>
    <name>Download</name>
    <message>
        <location filename="../download.py" line="45"/>
        <source>Download MNIST?</source>
        <translation>MNIST herunterladen?</translation>
    </message>
    <message>
        <location filename="../download.py" line="46"/>
        <source>Training needs MNIST, which is not on this computer yet.</source>
        <translation>Zum Trainieren wird MNIST gebraucht, das noch nicht auf diesem Rechner ist.</translation>
    </message>
    <message>
        <location filename="../download.py" line="47"/>
        <source>Download it now? About 11 MB; it is kept for the next time.</source>
        <translation>Jetzt herunterladen? Etwa 11 MB; es bleibt für das nächste Mal gespeichert.</translation>
    </message>
    <message>
        <location filename="../download.py" line="48"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../download.py" line="53"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../download.py" line="52"/>
        <source>Downloading MNIST</source>
        <translation>MNIST wird heruntergeladen</translation>
    </message>
    <message>
        <location filename="../download.py" line="103"/>
        <source>Downloading MNIST…</source>
        <translation>MNIST wird heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../download.py" line="105"/>
        <source>Downloading {file}: {megabytes} MB</source>
        <translation>Lade {file} herunter: {megabytes} MB</translation>
    </message>
</context>
<context>
    <name>DrawPad</name>
    <message>
        <location filename="../drawpad.py" line="167"/>
        <source>drawing pad</source>
        <translation>Zeichenfläche</translation>
    </message>
    <message>
        <location filename="../drawpad.py" line="168"/>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../drawpad.py" line="169"/>
        <source>Wipe the pad (or right-click it)</source>
        <translation>Die Zeichenfläche leeren (oder mit der rechten Maustaste hineinklicken)</translation>
    </message>
    <message>
        <location filename="../drawpad.py" line="185"/>
        <source>large and centred</source>
        <translation>groß und mittig</translation>
    </message>
    <message>
        <location filename="../drawpad.py" line="189"/>
        <source>draw a digit, large and centred</source>
        <translation>eine Ziffer zeichnen, groß und mittig</translation>
    </message>
    <message>
        <location filename="../drawpad.py" line="191"/>
        <source>Draw a digit with the left button; right-click clears</source>
        <translation>Eine Ziffer mit der linken Maustaste zeichnen; die rechte Maustaste löscht</translation>
    </message>
</context>
<context>
    <name>Enlarged</name>
    <message>
        <location filename="../enlarge.py" line="131"/>
        <source>enlarged</source>
        <translation>vergrößert</translation>
    </message>
    <message>
        <location filename="../enlarge.py" line="122"/>
        <source>values {min} to {max}; colours span {low} to {high}</source>
        <translation>Werte {min} bis {max}; Farben reichen von {low} bis {high}</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../export.py" line="27"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../export.py" line="28"/>
        <source>SVG vector graphics (*.svg)</source>
        <translation>SVG-Vektorgrafik (*.svg)</translation>
    </message>
    <message>
        <location filename="../export.py" line="62"/>
        <source>cannot save the figure as {name}: name a .png or .svg file</source>
        <translation>die Abbildung lässt sich nicht als {name} speichern: bitte eine .png- oder .svg-Datei angeben</translation>
    </message>
    <message>
        <location filename="../export.py" line="118"/>
        <source>cannot save the figure to {path}: {reason}</source>
        <translation>die Abbildung lässt sich nicht unter {path} speichern: {reason}</translation>
    </message>
    <message>
        <location filename="../export.py" line="124"/>
        <source>the folder {folder} does not exist</source>
        <translation>den Ordner {folder} gibt es nicht</translation>
    </message>
    <message>
        <location filename="../export.py" line="126"/>
        <source>it is a folder</source>
        <translation>dort ist ein Ordner</translation>
    </message>
    <message>
        <location filename="../export.py" line="127"/>
        <source>the file cannot be written there (permissions, or a full disk)</source>
        <translation>die Datei kann dort nicht geschrieben werden (Rechte oder volle Festplatte)</translation>
    </message>
    <message>
        <location filename="../export.py" line="174"/>
        <source>Save figure as PNG…</source>
        <translation>Bild als PNG speichern…</translation>
    </message>
    <message>
        <location filename="../export.py" line="175"/>
        <source>Save figure as SVG…</source>
        <translation>Bild als SVG speichern…</translation>
    </message>
    <message>
        <location filename="../export.py" line="176"/>
        <source>Copy figure</source>
        <translation>Bild kopieren</translation>
    </message>
    <message>
        <location filename="../export.py" line="189"/>
        <source>Save figure…</source>
        <translation>Bild speichern…</translation>
    </message>
    <message>
        <location filename="../export.py" line="183"/>
        <source>Save this figure as PNG or SVG for slides (or right-click the figure)</source>
        <translation>Diese Abbildung als PNG oder SVG für Folien speichern (oder Rechtsklick auf die Abbildung)</translation>
    </message>
    <message>
        <location filename="../export.py" line="206"/>
        <source>Figure saved to {path}</source>
        <translation>Abbildung gespeichert unter {path}</translation>
    </message>
    <message>
        <location filename="../export.py" line="214"/>
        <source>Save the figure</source>
        <translation>Abbildung speichern</translation>
    </message>
    <message>
        <location filename="../export.py" line="228"/>
        <source>Figure not saved</source>
        <translation>Abbildung nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../export.py" line="239"/>
        <source>Figure copied to the clipboard</source>
        <translation>Abbildung in die Zwischenablage kopiert</translation>
    </message>
</context>
<context>
    <name>FeatureMaps</name>
    <message>
        <location filename="../featuremaps.py" line="135"/>
        <source>&lt;b&gt;{layer}&lt;/b&gt;: {count} units (ReLU)</source>
        <translation>&lt;b&gt;{layer}&lt;/b&gt;: {count} Neuronen (ReLU)</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="231"/>
        <source>feature maps appear once a model is ready</source>
        <translation>die Merkmalskarten erscheinen, sobald ein Modell bereit ist</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="234"/>
        <source>Save the maps and bars as PNG or SVG for slides (or right-click them)</source>
        <translation>Karten und Balken als PNG oder SVG für Folien speichern (oder Rechtsklick darauf)</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="261"/>
        <source>Index into the 10 000 test images</source>
        <translation>Nummer unter den 10 000 Testbildern</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="262"/>
        <source>previous test image</source>
        <translation>voriges Testbild</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="263"/>
        <source>next test image</source>
        <translation>nächstes Testbild</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="264"/>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="265"/>
        <source>use drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="266"/>
        <source>Show the digit from the drawing pad instead of a test image</source>
        <translation>Die Ziffer von der Zeichenfläche statt eines Testbilds zeigen</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="269"/>
        <source>input digit</source>
        <translation>Eingabeziffer</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="270"/>
        <source>network says:</source>
        <translation>das Netz sagt:</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="271"/>
        <source>click a map to enlarge it</source>
        <translation>Klick: Karte vergrößern</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="362"/>
        <source>this network has no conv or pool layers: no feature maps</source>
        <translation>dieses Netz hat keine conv- oder pool-Schichten: keine Merkmalskarten</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="399"/>
        <source>{layer}, map {index} of {count}: {size} activations</source>
        <translation>{layer}, Karte {index} von {count}: {size} Aktivierungen</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="460"/>
        <source>correct (label {label})</source>
        <translation>richtig (Klasse {label})</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="464"/>
        <source>wrong: the label is {label}</source>
        <translation>falsch: die Klasse ist {label}</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="578"/>
        <source>from the drawing pad</source>
        <translation>von der Zeichenfläche</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="580"/>
        <source>draw a digit first</source>
        <translation>zuerst eine Ziffer zeichnen</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="583"/>
        <source>test image {index}, label {label}</source>
        <translation>Testbild {index}, Klasse {label}</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="586"/>
        <source>no test set yet</source>
        <translation>noch keine Testdaten</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="272"/>
        <source>The next test image the network gets wrong</source>
        <translation>Das nächste Testbild, das das Netz falsch klassifiziert</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="271"/>
        <source>The previous test image the network gets wrong</source>
        <translation>Das vorige Testbild, das das Netz falsch klassifiziert</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="270"/>
        <source>mistake ▶</source>
        <translation>Fehler ▶</translation>
    </message>
    <message>
        <location filename="../featuremaps.py" line="269"/>
        <source>◀ mistake</source>
        <translation>◀ Fehler</translation>
    </message>
</context>
<context>
    <name>FilterWishes</name>
    <message>
        <location filename="../inside.py" line="856"/>
        <source>Compute finds, for every filter, the input it responds to most.</source>
        <translation>„Berechnen“ findet für jeden Filter die Eingabe, auf die er am stärksten anspricht.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="860"/>
        <source>layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../inside.py" line="861"/>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="863"/>
        <source>Gradient ascent from grey noise: for each filter, the input that makes it fire most</source>
        <translation>Gradientenaufstieg aus grauem Rauschen: für jeden Filter die Eingabe, die ihn am stärksten aktiviert</translation>
    </message>
    <message>
        <location filename="../inside.py" line="867"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="868"/>
        <source>again after each epoch</source>
        <translation>nach jeder Epoche neu</translation>
    </message>
    <message>
        <location filename="../inside.py" line="869"/>
        <source>While training: compute them again after every epoch</source>
        <translation>Beim Training: nach jeder Epoche neu berechnen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="870"/>
        <source>Save the kernels and the images as PNG or SVG</source>
        <translation>Kerne und Bilder als PNG oder SVG speichern</translation>
    </message>
    <message>
        <location filename="../inside.py" line="909"/>
        <source>The {arch} network has no convolution: it has no filters to show.</source>
        <translation>Das Netz {arch} hat keine Faltung und damit keine Filter zum Zeigen.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="910"/>
        <source>Choose cnn, template or lenet5.</source>
        <translation>cnn, template oder lenet5 wählen.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="945"/>
        <source>Computing the images the filters of {layer} want to see…</source>
        <translation>Berechne die Wunschbilder der Filter von {layer}…</translation>
    </message>
    <message>
        <location filename="../inside.py" line="961"/>
        <source>{layer}: {count} images in {seconds}; the filters fire {gain}× more than on noise</source>
        <translation>{layer}: {count} Bilder in {seconds}; die Filter feuern {gain}× stärker als bei Rauschen</translation>
    </message>
    <message>
        <location filename="../inside.py" line="975"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../inside.py" line="980"/>
        <source>Could not compute them: {message}</source>
        <translation>Berechnung fehlgeschlagen: {message}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="1004"/>
        <source>learned kernels of {layer} (mean over input channels)</source>
        <translation>gelernte Kerne von {layer} (Mittel über die Eingangskanäle)</translation>
    </message>
    <message>
        <location filename="../inside.py" line="1006"/>
        <source>learned kernels of {layer}</source>
        <translation>gelernte Kerne von {layer}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="1009"/>
        <source>what each filter wants to see</source>
        <translation>Wunschbild je Filter</translation>
    </message>
    <message>
        <location filename="../inside.py" line="1056"/>
        <source>filter {index}: mean activation {before} on noise, {after} on its image</source>
        <translation>Filter {index}: mittlere Aktivierung {before} bei Rauschen, {after} bei seinem Bild</translation>
    </message>
    <message>
        <location filename="../inside.py" line="1059"/>
        <source>filter {index}</source>
        <translation>Filter {index}</translation>
    </message>
    <message>
        <location filename="../inside.py" line="1077"/>
        <source>{layer}, filter {index}: the input it responds to most</source>
        <translation>{layer}, Filter {index}: die Eingabe, auf die er am stärksten anspricht</translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message>
        <location filename="../filters.py" line="33"/>
        <source>channel {channel}</source>
        <translation>Kanal {channel}</translation>
    </message>
    <message>
        <location filename="../filters.py" line="34"/>
        <source>mean over channels</source>
        <translation>Mittel über die Kanäle</translation>
    </message>
    <message>
        <location filename="../filters.py" line="34"/>
        <source>the image</source>
        <translation>das Bild</translation>
    </message>
    <message>
        <location filename="../filters.py" line="107"/>
        <source>layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../filters.py" line="108"/>
        <source>input channel:</source>
        <translation>Eingangskanal:</translation>
    </message>
    <message>
        <location filename="../filters.py" line="109"/>
        <source>Deeper kernels see many input channels: pick one, or their mean</source>
        <translation>Tiefere Kerne sehen viele Eingangskanäle: einen wählen oder ihr Mittel</translation>
    </message>
    <message>
        <location filename="../filters.py" line="201"/>
        <source>{layer}, filter {index}: {size} weights, input channel {channel}</source>
        <translation>{layer}, Filter {index}: {size} Gewichte, Eingangskanal {channel}</translation>
    </message>
    <message>
        <location filename="../filters.py" line="203"/>
        <source>{layer}, filter {index}: {size} weights, mean over inputs</source>
        <translation>{layer}, Filter {index}: {size} Gewichte, Mittel über die Eingänge</translation>
    </message>
    <message>
        <location filename="../filters.py" line="205"/>
        <source>{layer}, filter {index}: {size} weights</source>
        <translation>{layer}, Filter {index}: {size} Gewichte</translation>
    </message>
    <message>
        <location filename="../filters.py" line="209"/>
        <source>{layer}, unit {index}: its {size} weights</source>
        <translation>{layer}, Neuron {index}: seine {size} Gewichte</translation>
    </message>
    <message>
        <location filename="../filters.py" line="262"/>
        <source>no model yet</source>
        <translation>noch kein Modell</translation>
    </message>
    <message>
        <location filename="../filters.py" line="269"/>
        <source>{layer}: {count} filters of {size}, input channel {channel}</source>
        <translation>{layer}: {count} Filter zu {size}, Eingangskanal {channel}</translation>
    </message>
    <message>
        <location filename="../filters.py" line="271"/>
        <source>{layer}: {count} filters of {size}, mean over input channels</source>
        <translation>{layer}: {count} Filter zu {size}, Mittel über die Eingangskanäle</translation>
    </message>
    <message>
        <location filename="../filters.py" line="273"/>
        <source>{layer}: {count} filters of {size}, input: the image</source>
        <translation>{layer}: {count} Filter zu {size}, Eingang: das Bild</translation>
    </message>
    <message>
        <location filename="../filters.py" line="277"/>
        <source>{layer}: the {count} hidden units&apos; weights, each a {size} image</source>
        <translation>{layer}: die Gewichte der {count} verdeckten Neuronen, jedes ein {size}-Bild</translation>
    </message>
    <message>
        <location filename="../filters.py" line="288"/>
        <source>{title}   (colour range ±{range})</source>
        <translation>{title}   (Farbbereich ±{range})</translation>
    </message>
    <message>
        <location filename="../filters.py" line="333"/>
        <source>filter {index}, weight [{row}, {col}] = {weight}   (click: enlarge)</source>
        <translation>Filter {index}, Gewicht [{row}, {col}] = {weight}   (Klick: vergrößern)</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <location filename="../launch.py" line="55"/>
        <source>Internal error ({error}); the details are in the terminal</source>
        <translation>Interner Fehler ({error}); die Einzelheiten stehen im Terminal</translation>
    </message>
</context>
<context>
    <name>Loss</name>
    <message>
        <location filename="../loss.py" line="379"/>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location filename="../loss.py" line="379"/>
        <source>examples seen</source>
        <translation>gesehene Bilder</translation>
    </message>
    <message>
        <location filename="../loss.py" line="269"/>
        <source>x axis:</source>
        <translation>x-Achse:</translation>
    </message>
    <message>
        <location filename="../loss.py" line="270"/>
        <source>log loss</source>
        <translation>Verlust logarithmisch</translation>
    </message>
    <message>
        <location filename="../loss.py" line="271"/>
        <source>The loss (left axis) on a logarithmic scale: late, small improvements stay visible</source>
        <translation>Der Verlust (linke Achse) auf logarithmischer Skala: späte, kleine Verbesserungen bleiben sichtbar</translation>
    </message>
    <message>
        <location filename="../loss.py" line="286"/>
        <source>loss per batch</source>
        <translation>Verlust je Stapel</translation>
    </message>
    <message>
        <location filename="../loss.py" line="277"/>
        <source>smoothed</source>
        <translation>geglättet</translation>
    </message>
    <message>
        <location filename="../loss.py" line="278"/>
        <source>test accuracy</source>
        <translation>Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../loss.py" line="287"/>
        <source>loss, smoothed</source>
        <translation>Verlust, geglättet</translation>
    </message>
    <message>
        <location filename="../loss.py" line="288"/>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <location filename="../loss.py" line="289"/>
        <source>test accuracy (%)</source>
        <translation>Testgenauigkeit (%)</translation>
    </message>
    <message>
        <location filename="../loss.py" line="387"/>
        <source>loss {loss}</source>
        <translation>Verlust {loss}</translation>
    </message>
    <message>
        <location filename="../loss.py" line="391"/>
        <source>test accuracy {accuracy}</source>
        <translation>Testgenauigkeit {accuracy}</translation>
    </message>
    <message>
        <location filename="../loss.py" line="392"/>
        <source>test accuracy after epoch {epoch}</source>
        <translation>Testgenauigkeit nach Epoche {epoch}</translation>
    </message>
    <message>
        <location filename="../loss.py" line="395"/>
        <source>waiting for training…</source>
        <translation>warte auf das Training…</translation>
    </message>
    <message>
        <location filename="../loss.py"/>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <location filename="../loss.py"/>
        <source>seconds since the start</source>
        <translation>Sekunden seit dem Start</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../race.py" line="1"/>
        <source>&amp;Race</source>
        <translation>&amp;Rennen</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Race two runs…</source>
        <translation>Zwei Läufe im Wettrennen…</translation>
    </message>
    <message>
        <location filename="../app.py" line="98"/>
        <source>Loading TensorFlow and the pretrained model in the background…</source>
        <translation>TensorFlow und das vortrainierte Modell werden im Hintergrund geladen…</translation>
    </message>
    <message>
        <location filename="../app.py" line="163"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app.py" line="174"/>
        <source>Presenter mode (large type)</source>
        <translation>Präsentationsmodus (große Schrift)</translation>
    </message>
    <message>
        <location filename="../app.py" line="177"/>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <location filename="../app.py" line="178"/>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <location filename="../app.py" line="179"/>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <location filename="../app.py" line="181"/>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <location filename="../app.py" line="185"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../app.py" line="210"/>
        <source>ConvViz — watch a convolutional network learn MNIST</source>
        <translation>ConvViz — einem Faltungsnetz beim Lernen von MNIST zusehen</translation>
    </message>
    <message>
        <location filename="../app.py" line="250"/>
        <source>MNIST not downloaded: training needs it</source>
        <translation>MNIST nicht heruntergeladen: das Training braucht es</translation>
    </message>
    <message>
        <location filename="../app.py" line="326"/>
        <source>MNIST missing: Start offers the download</source>
        <translation>MNIST fehlt: Start bietet das Herunterladen an</translation>
    </message>
    <message>
        <location filename="../app.py" line="328"/>
        <source>no MNIST: Start tries the download again</source>
        <translation>kein MNIST: Start versucht das Herunterladen erneut</translation>
    </message>
    <message>
        <location filename="../app.py" line="338"/>
        <source>{message} Start offers the download.</source>
        <translation>{message} Start bietet das Herunterladen an.</translation>
    </message>
    <message>
        <location filename="../app.py" line="347"/>
        <source>Model ready: {model}</source>
        <translation>Modell bereit: {model}</translation>
    </message>
    <message>
        <location filename="../app.py" line="369"/>
        <source>building the graph…</source>
        <translation>der Graph wird aufgebaut…</translation>
    </message>
    <message>
        <location filename="../app.py" line="373"/>
        <source>Paused after 1 batch · Step: one more · space: resume</source>
        <translation>Pause nach 1 Stapel · Schritt: noch einer · Leertaste: weiter</translation>
    </message>
    <message>
        <location filename="../app.py" line="375"/>
        <source>Paused after {batches} batches · Step: one more · space: resume</source>
        <translation>Pause nach {batches} Stapeln · Schritt: noch einer · Leertaste: weiter</translation>
    </message>
    <message>
        <location filename="../app.py" line="378"/>
        <source>Step: training one batch…</source>
        <translation>Schritt: ein Stapel wird trainiert…</translation>
    </message>
    <message>
        <location filename="../app.py" line="382"/>
        <source>Stopping… then the test accuracy of the weights kept is measured</source>
        <translation>Wird gestoppt… danach wird die Testgenauigkeit der behaltenen Gewichte gemessen</translation>
    </message>
    <message>
        <location filename="../app.py" line="397"/>
        <source>Epoch {epoch} done: test accuracy {accuracy}, mean training loss {loss}</source>
        <translation>Epoche {epoch} fertig: Testgenauigkeit {accuracy}, mittlerer Trainingsverlust {loss}</translation>
    </message>
    <message>
        <location filename="../app.py" line="441"/>
        <source>loading a model…</source>
        <translation>ein Modell wird geladen…</translation>
    </message>
    <message>
        <location filename="../app.py" line="516"/>
        <source>Could not save the model: {problem}</source>
        <translation>Das Modell ließ sich nicht speichern: {problem}</translation>
    </message>
    <message>
        <location filename="../app.py" line="452"/>
        <source>Model saved to {path}</source>
        <translation>Modell gespeichert unter {path}</translation>
    </message>
    <message>
        <location filename="../app.py" line="496"/>
        <source>Could not save the model: there is none yet</source>
        <translation>Das Modell ließ sich nicht speichern: es gibt noch keines</translation>
    </message>
    <message>
        <location filename="../app.py" line="501"/>
        <source>Save the model as a new folder</source>
        <translation>Das Modell als neuen Ordner speichern</translation>
    </message>
    <message>
        <location filename="../app.py" line="521"/>
        <source>Replace the saved model?</source>
        <translation>Das gespeicherte Modell ersetzen?</translation>
    </message>
    <message>
        <location filename="../app.py" line="521"/>
        <source>{folder} holds a ConvViz model already.

Replace it with the model in use?</source>
        <translation>In {folder} liegt schon ein ConvViz-Modell.

Durch das verwendete Modell ersetzen?</translation>
    </message>
    <message>
        <location filename="../app.py" line="531"/>
        <source>Not saved: {folder} keeps its model</source>
        <translation>Nicht gespeichert: {folder} behält sein Modell</translation>
    </message>
    <message>
        <location filename="../app.py" line="541"/>
        <source>Load a model folder (with weights.npz and model.json)</source>
        <translation>Einen Modellordner laden (mit weights.npz und model.json)</translation>
    </message>
    <message>
        <location filename="../app.py"/>
        <source>A run is training: its weights are in the pad</source>
        <translation>Ein Lauf trainiert: seine Gewichte sind in der Zeichenfläche</translation>
    </message>
    <message>
        <location filename="../app.py"/>
        <source>Run deleted</source>
        <translation>Lauf gelöscht</translation>
    </message>
</context>
<context>
    <name>PanelArea</name>
    <message>
        <source>Nearest digits</source>
        <translation>Nächste Nachbarn</translation>
    </message>
    <message>
        <location filename="../teachjobs.py" line="1"/>
        <source>Teach</source>
        <translation>Lehren</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Race</source>
        <translation>Rennen</translation>
    </message>
    <message>
        <location filename="../app.py" line="119"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../app.py" line="119"/>
        <source>Filters</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../app.py" line="119"/>
        <source>Feature maps</source>
        <translation>Merkmalskarten</translation>
    </message>
    <message>
        <location filename="../app.py" line="136"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location filename="../app.py" line="137"/>
        <source>Saliency</source>
        <translation>Salienz</translation>
    </message>
    <message>
        <location filename="../inside.py" line="42"/>
        <source>Convolution</source>
        <translation>Faltung</translation>
    </message>
    <message>
        <location filename="../inside.py" line="43"/>
        <source>What filters want</source>
        <translation>Wunschbilder</translation>
    </message>
    <message>
        <location filename="../app.py"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
</context>
<context>
    <name>Prediction</name>
    <message>
        <location filename="../prediction.py" line="315"/>
        <source>{value} sure</source>
        <translation>{value} sicher</translation>
    </message>
    <message>
        <location filename="../prediction.py" line="178"/>
        <source>the network sees
({size})</source>
        <translation>das Netz sieht
({size})</translation>
    </message>
    <message>
        <location filename="../prediction.py" line="181"/>
        <source>prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <location filename="../prediction.py" line="182"/>
        <source>probability</source>
        <translation>Wahrsch.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>{arch} taught the class's digits · {accuracy} test accuracy</source>
        <translation>{arch}, mit den Ziffern der Klasse nachtrainiert · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../text.py" line="17"/>
        <source>loading TensorFlow…</source>
        <translation>TensorFlow wird geladen…</translation>
    </message>
    <message>
        <location filename="../text.py" line="48"/>
        <source>pretrained {arch}</source>
        <translation>{arch}, vortrainiert</translation>
    </message>
    <message>
        <location filename="../text.py" line="49"/>
        <source>pretrained {arch} · {accuracy} test accuracy</source>
        <translation>{arch}, vortrainiert · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../text.py" line="51"/>
        <source>untrained {arch}: random weights</source>
        <translation>{arch}, untrainiert: zufällige Gewichte</translation>
    </message>
    <message>
        <location filename="../text.py" line="54"/>
        <source>{arch} in training · {images} images so far</source>
        <translation>{arch} im Training · bisher {images} Bilder</translation>
    </message>
    <message>
        <location filename="../text.py" line="58"/>
        <source>{arch} trained on {images} images</source>
        <translation>{arch}, trainiert mit {images} Bildern</translation>
    </message>
    <message>
        <location filename="../text.py" line="59"/>
        <source>trained {arch} · {accuracy} test accuracy</source>
        <translation>{arch}, trainiert · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../text.py" line="64"/>
        <source>{arch} from {source}</source>
        <translation>{arch} aus {source}</translation>
    </message>
    <message>
        <location filename="../text.py" line="65"/>
        <source>{arch} from {source} · {accuracy} test accuracy</source>
        <translation>{arch} aus {source} · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../text.py" line="72"/>
        <source>Training {arch} on {images} images with {batching} batching, batch size {size}, {optimizer} lr {lr}</source>
        <translation>Training von {arch} mit {images} Bildern, Stapelbildung {batching}, Stapelgröße {size}, {optimizer}, Lernrate {lr}</translation>
    </message>
    <message>
        <location filename="../text.py" line="80"/>
        <source>epoch {epoch}/{epochs} · {speed} images/s · {left} left</source>
        <translation>Epoche {epoch}/{epochs} · {speed} Bilder/s · noch {left}</translation>
    </message>
    <message>
        <location filename="../text.py" line="93"/>
        <source>Training finished</source>
        <translation>Training beendet</translation>
    </message>
    <message>
        <location filename="../text.py" line="95"/>
        <source>Training stopped after {batches} batches</source>
        <translation>Training nach {batches} Stapeln gestoppt</translation>
    </message>
    <message>
        <location filename="../text.py" line="97"/>
        <source>Training failed</source>
        <translation>Training fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../text.py" line="99"/>
        <source>{how}: test accuracy {accuracy}</source>
        <translation>{how}: Testgenauigkeit {accuracy}</translation>
    </message>
    <message>
        <location filename="../text.py" line="103"/>
        <source>{how}: nothing trained, the previous model is kept</source>
        <translation>{how}: nichts trainiert, das bisherige Modell bleibt</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <location filename="../views.py" line="55"/>
        <source>draw a digit</source>
        <translation>eine Ziffer zeichnen</translation>
    </message>
    <message>
        <location filename="../views.py" line="65"/>
        <source>Not classified: {problem}</source>
        <translation>Nicht klassifiziert: {problem}</translation>
    </message>
    <message>
        <location filename="../views.py" line="78"/>
        <source>loading TensorFlow… the digit is classified when the model is ready</source>
        <translation>TensorFlow wird geladen… die Ziffer wird klassifiziert, sobald das Modell bereit ist</translation>
    </message>
    <message>
        <location filename="../views.py" line="339"/>
        <source>No saliency map: {message}</source>
        <translation>Keine Salienzkarte: {message}</translation>
    </message>
    <message>
        <location filename="../views.py" line="287"/>
        <source>The test images could not be classified: {message}</source>
        <translation>Die Testbilder ließen sich nicht klassifizieren: {message}</translation>
    </message>
    <message>
        <location filename="../views.py" line="248"/>
        <source>classifying the {count} test images…</source>
        <translation>klassifiziere die {count} Testbilder…</translation>
    </message>
    <message>
        <location filename="../views.py" line="301"/>
        <source>test image {index}, label {label}</source>
        <translation>Testbild {index}, Klasse {label}</translation>
    </message>
    <message>
        <location filename="../views.py" line="299"/>
        <source>the drawing</source>
        <translation>die Zeichnung</translation>
    </message>
    <message>
        <location filename="../views.py" line="292"/>
        <source>waiting for MNIST…</source>
        <translation>warte auf MNIST…</translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message>
        <location filename="../evaluation.py" line="286"/>
        <source>Classify the test images again with the weights of this moment</source>
        <translation>Die Testbilder mit den Gewichten dieses Augenblicks erneut klassifizieren</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="288"/>
        <source>Click a cell to see its test images</source>
        <translation>Klick auf eine Zelle zeigt ihre Testbilder</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="277"/>
        <source>Confusion matrix</source>
        <translation>Konfusionsmatrix</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="284"/>
        <source>Evaluate now</source>
        <translation>Jetzt auswerten</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="283"/>
        <source>Every misclassified test image, most confident first</source>
        <translation>Alle falsch klassifizierten Testbilder, die sichersten zuerst</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="282"/>
        <source>all mistakes</source>
        <translation>alle Fehler</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="130"/>
        <source>right</source>
        <translation>richtig</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="431"/>
        <source>test image {index}: label {label}, predicted {pred} ({sure} sure)</source>
        <translation>Testbild {index}: Klasse {label}, vorhergesagt {pred} ({sure} sicher)</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="424"/>
        <source>the digits of a cell appear here</source>
        <translation>hier erscheinen die Ziffern einer Zelle</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="416"/>
        <source>{heading} (the first {shown})</source>
        <translation>{heading} (die ersten {shown})</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="301"/>
        <source>blue: right · red: wrong · click a cell</source>
        <translation>blau: richtig · rot: falsch · Klick: Ziffern</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="300"/>
        <source>rows: true label, columns: prediction</source>
        <translation>Zeile: wahre Klasse, Spalte: Vorhersage</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="450"/>
        <source>{label}→{label}: {count} right, the least sure first</source>
        <translation>{label}→{label}: {count} richtig, die unsichersten zuerst</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="453"/>
        <source>{label}→{pred}: {count} mistakes, the most confident first</source>
        <translation>{label}→{pred}: {count} Fehler, die sichersten zuerst</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="456"/>
        <source>label {label}: {count} mistakes, the most confident first</source>
        <translation>Klasse {label}: {count} Fehler, die sichersten zuerst</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="459"/>
        <source>all {count} mistakes, the most confident first</source>
        <translation>alle {count} Fehlklassifikationen, die sichersten zuerst</translation>
    </message>
    <message>
        <location filename="../evaluation.py" line="420"/>
        <source>{mistakes} mistakes · {right} of {total} right ({accuracy})</source>
        <translation>{mistakes} Fehler · {right} von {total} richtig ({accuracy})</translation>
    </message>
</context>
<context>
    <name>Saliency</name>
    <message>
        <location filename="../saliency.py" line="179"/>
        <source>Explain the digit on the drawing pad, live as you draw, instead of a test image</source>
        <translation>Die Ziffer der Zeichenfläche erklären, schon während des Zeichnens, statt eines Testbilds</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="34"/>
        <source>Gradient</source>
        <translation>Gradienten</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="44"/>
        <source>Gradient where there is ink: red strokes speak for {cls}, blue against.</source>
        <translation>Gradienten, wo Tinte ist: rote Striche sprechen für {cls}, blaue dagegen.</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="35"/>
        <source>Gradient × input</source>
        <translation>Gradienten × Eingabe</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="166"/>
        <source>Hide one part of the digit at a time and watch the probability drop</source>
        <translation>Jeweils einen Teil der Ziffer verdecken und zusehen, wie die Wahrscheinlichkeit sinkt</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="33"/>
        <source>Occlusion</source>
        <translation>Verdecken</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="38"/>
        <source>Red: hiding this part lowers the probability of {cls}; blue: raises it.</source>
        <translation>Rot: diesen Teil zu verdecken senkt die Wahrscheinlichkeit von {cls}; blau: hebt sie.</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="141"/>
        <source>Save the pictures as PNG or SVG for slides (or right-click them)</source>
        <translation>Die Bilder als PNG oder SVG für Folien speichern (oder Rechtsklick darauf)</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="176"/>
        <source>The class whose evidence is shown</source>
        <translation>Die Klasse, deren Belege gezeigt werden</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="169"/>
        <source>The gradient of the class's score (its logit) with respect to each pixel</source>
        <translation>Die Ableitung des Klassenwerts (des Logits) nach jedem Bildpunkt</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="172"/>
        <source>The gradient times the pixel's value: only where there is ink</source>
        <translation>Gradienten mal Bildpunktwert: nur wo Tinte ist</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="41"/>
        <source>The score of {cls} per pixel. Red: more ink here raises it; blue: lowers it.</source>
        <translation>Der Klassenwert von {cls} je Bildpunkt abgeleitet. Rot: mehr Tinte hier hebt ihn; blau: senkt ihn.</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="162"/>
        <source>Where the network looks</source>
        <translation>Wohin das Netz schaut</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="174"/>
        <source>class:</source>
        <translation>Klasse:</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="272"/>
        <source>explains class {cls} (p = {p})</source>
        <translation>erklärt Klasse {cls} (p = {p})</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="184"/>
        <source>over the digit</source>
        <translation>über der Ziffer</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="183"/>
        <source>saliency map</source>
        <translation>Salienzkarte</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="177"/>
        <source>use drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <location filename="../saliency.py" line="246"/>
        <source>predicted</source>
        <translation>vorhergesagte</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>The probe digit's first-layer feature maps at that moment</source>
        <translation>Die Merkmalskarten der ersten Schicht für die Probeziffer zu diesem Zeitpunkt</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Save the filter animation</source>
        <translation>Filter-Animation speichern</translation>
    </message>
    <message>
        <source>GIF animation (*.gif)</source>
        <translation>GIF-Animation (*.gif)</translation>
    </message>
    <message>
        <source>There are no snapshots to animate yet.</source>
        <translation>Es gibt noch keine Momentaufnahmen zum Animieren.</translation>
    </message>
    <message>
        <source>Could not save the GIF: {problem}</source>
        <translation>Das GIF konnte nicht gespeichert werden: {problem}</translation>
    </message>
    <message>
        <source>Save GIF…</source>
        <translation>GIF speichern…</translation>
    </message>
    <message>
        <source>Save the filters' timeline as an animated GIF</source>
        <translation>Den Verlauf der Filter als animiertes GIF speichern</translation>
    </message>
    <message>
        <source>Drag to see the filters at any moment of the run</source>
        <translation>Ziehen: die Filter zu jedem Zeitpunkt des Trainings</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <source>Animate the filters from the first snapshot to the last</source>
        <translation>Die Filter von der ersten bis zur letzten Momentaufnahme abspielen</translation>
    </message>
    <message>
        <source>no snapshots yet</source>
        <translation>noch keine Momentaufnahmen</translation>
    </message>
    <message>
        <source>step {step} · snapshot {index} of {count}</source>
        <translation>Schritt {step} · Momentaufnahme {index} von {count}</translation>
    </message>
    <message>
        <source>probe: {digit} ({percent})</source>
        <translation>Testziffer: {digit} ({percent})</translation>
    </message>
    <message>
        <source>(is {label})</source>
        <translation>(ist {label})</translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message>
        <source>Replay: the filters follow the recording; the pad uses the run's final weights.</source>
        <translation>Wiedergabe: Die Filter folgen der Aufzeichnung; die Zeichenfläche nutzt die Gewichte vom Ende des Trainings.</translation>
    </message>
    <message>
        <source>Replay: the filters follow the recording; the pad uses the pretrained model (no weights recorded).</source>
        <translation>Wiedergabe: Die Filter folgen der Aufzeichnung; die Zeichenfläche nutzt das vortrainierte Modell (keine Gewichte aufgezeichnet).</translation>
    </message>
    <message>
        <source>Replay: the filters follow the recording; the pad keeps the model in use.</source>
        <translation>Wiedergabe: Die Filter folgen der Aufzeichnung; die Zeichenfläche behält das aktuelle Modell.</translation>
    </message>
    <message>
        <source>{arch}: {epochs} epochs, test accuracy {accuracy}</source>
        <translation>{arch}: {epochs} Epochen, Testgenauigkeit {accuracy}</translation>
    </message>
    <message>
        <source>GIF saved: {path}</source>
        <translation>GIF gespeichert: {path}</translation>
    </message>
    <message>
        <source>&amp;Recorded runs</source>
        <translation>&amp;Aufzeichnungen</translation>
    </message>
    <message>
        <source>Open recorded run…</source>
        <translation>Aufgezeichnetes Training öffnen…</translation>
    </message>
    <message>
        <source>Shipped recordings</source>
        <translation>Mitgelieferte Aufzeichnungen</translation>
    </message>
    <message>
        <source>Replay speed</source>
        <translation>Wiedergabetempo</translation>
    </message>
    <message>
        <source>none in assets/runs</source>
        <translation>keine in assets/runs</translation>
    </message>
    <message>
        <source>Open a recorded run</source>
        <translation>Ein aufgezeichnetes Training öffnen</translation>
    </message>
    <message>
        <source>Recorded runs (*{suffix})</source>
        <translation>Aufgezeichnete Trainings (*{suffix})</translation>
    </message>
    <message>
        <source>Cannot replay: {problem}</source>
        <translation>Wiedergabe nicht möglich: {problem}</translation>
    </message>
    <message>
        <source>Cannot replay while a run is training: stop it first.</source>
        <translation>Während eines Trainings ist keine Wiedergabe möglich: erst anhalten.</translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message>
        <location filename="../runs.py"/>
        <source>run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>batching</source>
        <translation>Stapelbildung</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>images/s</source>
        <translation>Bilder/s</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>s/epoch</source>
        <translation>s/Epoche</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>best test accuracy</source>
        <translation>beste Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>memory (batch)</source>
        <translation>Speicher (Stapel)</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>Delete run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>Deletes the saved run's file at once (Delete key); there is no undo</source>
        <translation>Löscht die Datei des gespeicherten Laufs sofort (Entf-Taste); rückgängig machen geht nicht</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>Click a run: its final weights go into the pad.</source>
        <translation>Klick auf einen Lauf: seine letzten Gewichte kommen in die Zeichenfläche.</translation>
    </message>
    <message>
        <location filename="../runs.py"/>
        <source>{run} (training)</source>
        <translation>{run} (trainiert)</translation>
    </message>
</context>
<context>
    <name>Race</name>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Race two runs</source>
        <translation>Zwei Läufe im Wettrennen</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>This configuration</source>
        <translation>Diese Konfiguration</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Against</source>
        <translation>Gegen</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Network</source>
        <translation>Netz</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Both runs train in one thread, a batch of one, then a batch of the other, with numpy batching and the same seed: they see the same images in the same order.</source>
        <translation>Beide Läufe trainieren in einem Thread, abwechselnd ein Stapel des einen und einer des anderen, mit NumPy-Stapeln und demselben Startwert: Sie sehen dieselben Bilder in derselben Reihenfolge.</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Start race</source>
        <translation>Rennen starten</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>No race yet: Race two runs… in the Race menu</source>
        <translation>Noch kein Rennen: „Zwei Läufe im Wettrennen…“ im Menü Rennen</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>{speed} images/s</source>
        <translation>{speed} Bilder/s</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>The race starts once MNIST is loaded: choose Race two runs… again</source>
        <translation>Das Rennen startet, sobald MNIST geladen ist: „Zwei Läufe im Wettrennen…“ erneut wählen</translation>
    </message>
    <message>
        <location filename="../race.py" line="1"/>
        <source>Race: {a} and {b} images/s, each on its own training time; {total} images/s together</source>
        <translation>Rennen: {a} und {b} Bilder/s, jeweils über die eigene Trainingszeit; zusammen {total} Bilder/s</translation>
    </message>
</context>
<context>
    <name>Teach</name>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>{file}: read as {before} before teaching, {after} after</source>
        <translation>{file}: vor dem Lehren als {before} gelesen, danach als {after}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>{reading} (held back: not taught)</source>
        <translation>{reading} (zurückgehalten: nicht gelehrt)</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Added as a {digit}: {file}</source>
        <translation>Als {digit} hinzugefügt: {file}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Change label</source>
        <translation>Beschriftung ändern</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Class set</source>
        <translation>Klassensatz</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Class set: {count} drawings in {folder}</source>
        <translation>Klassensatz: {count} Zeichnungen in {folder}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Clear the class set</source>
        <translation>Klassensatz leeren</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Delete all {count} drawings of the class set?</source>
        <translation>Alle {count} Zeichnungen des Klassensatzes löschen?</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Draw a digit on the pad first.</source>
        <translation>Zuerst eine Ziffer auf die Zeichenfläche zeichnen.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Export the class set to an empty folder</source>
        <translation>Klassensatz in einen leeren Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Exported to {folder}</source>
        <translation>Exportiert nach {folder}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Fine-tune the pad's network on MNIST mixed with the class set</source>
        <translation>Das Netz der Zeichenfläche auf MNIST gemischt mit dem Klassensatz nachtrainieren</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Folder of the class set</source>
        <translation>Ordner des Klassensatzes</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Held back</source>
        <translation>Zurückgehalten</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Import a class set from a folder</source>
        <translation>Klassensatz aus einem Ordner importieren</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Loading the class set…</source>
        <translation>Klassensatz wird geladen…</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>MNIST test</source>
        <translation>MNIST-Testdaten</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Measuring the network after teaching…</source>
        <translation>Netz wird nach dem Lehren gemessen…</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Measuring the network before teaching…</source>
        <translation>Netz wird vor dem Lehren gemessen…</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Misread? Click the right digit to add the drawing to the class set.</source>
        <translation>Falsch gelesen? Die richtige Ziffer anklicken, um die Zeichnung dem Klassensatz hinzuzufügen.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Not added: {message}</source>
        <translation>Nicht hinzugefügt: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Not cleared: {message}</source>
        <translation>Nicht geleert: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Not deleted: {message}</source>
        <translation>Nicht gelöscht: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Not exported: {message}</source>
        <translation>Nicht exportiert: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Not imported: {message}</source>
        <translation>Nicht importiert: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teach</source>
        <translation>Lehren</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teaching cancelled: the network is unchanged.</source>
        <translation>Lehren abgebrochen: das Netz ist unverändert.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teaching failed: {message}</source>
        <translation>Lehren fehlgeschlagen: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teaching needs MNIST: it is still loading.</source>
        <translation>Zum Lehren wird MNIST gebraucht: es wird noch geladen.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teaching needs a network: load or train one first.</source>
        <translation>Zum Lehren wird ein Netz gebraucht: zuerst eines laden oder trainieren.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teaching waits until the training run has ended.</source>
        <translation>Das Lehren wartet, bis der Trainingslauf beendet ist.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Teaching: step {step} of {steps}</source>
        <translation>Lehren: Schritt {step} von {steps}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>The class set cannot be read: {message}</source>
        <translation>Der Klassensatz lässt sich nicht lesen: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>The class set is empty: add misread drawings with the digit buttons.</source>
        <translation>Der Klassensatz ist leer: falsch gelesene Zeichnungen mit den Zifferntasten hinzufügen.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>The label was not changed: {message}</source>
        <translation>Die Beschriftung wurde nicht geändert: {message}</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>The network changed while teaching: the result was dropped.</source>
        <translation>Das Netz hat sich während des Lehrens geändert: das Ergebnis wurde verworfen.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>This drawing is a:</source>
        <translation>Diese Zeichnung ist eine:</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Undone: the pad uses the network from before teaching.</source>
        <translation>Rückgängig gemacht: die Zeichenfläche nutzt wieder das Netz von vor dem Lehren.</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>{count} drawings deleted</source>
        <translation>{count} Zeichnungen gelöscht</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>{count} drawings imported</source>
        <translation>{count} Zeichnungen importiert</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>{count} drawings now labelled {digit}</source>
        <translation>{count} Zeichnungen jetzt als {digit} beschriftet</translation>
    </message>
    <message>
        <location filename="../teach.py" line="1"/>
        <source>Taught on {drawings} drawings in {seconds} s: {fixed} now read right, {broken} now wrong</source>
        <translation>Mit {drawings} Zeichnungen in {seconds} s gelehrt: {fixed} jetzt richtig gelesen, {broken} jetzt falsch</translation>
    </message>
</context>
<context>
    <name>Shift</name>
    <message>
        <source>nearest in MNIST: label</source>
        <translation>nächste in MNIST: Klasse</translation>
    </message>
    <message>
        <source>drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <source>Nearest MNIST digits labelled {cls}: none of {k}. The network has hardly seen {cls}s like this.</source>
        <translation>Nächste MNIST-Ziffern mit Klasse {cls}: keine von {k}. So eine {cls} hat das Netz kaum je gesehen.</translation>
    </message>
    <message>
        <source>Nearest MNIST digits labelled {cls}: only {n} of {k}. MNIST has few {cls}s like this.</source>
        <translation>Nächste MNIST-Ziffern mit Klasse {cls}: nur {n} von {k}. MNIST kennt kaum eine {cls}, die so aussieht.</translation>
    </message>
    <message>
        <source>Nearest MNIST digits labelled {cls}: {n} of {k}. The network has seen {cls}s like this.</source>
        <translation>Nächste MNIST-Ziffern mit Klasse {cls}: {n} von {k}. Solche {cls} hat das Netz gesehen.</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>test image {index}, label {label}</source>
        <translation>Testbild {index}, Klasse {label}</translation>
    </message>
    <message>
        <source>the drawing</source>
        <translation>die Zeichnung</translation>
    </message>
    <message>
        <source>class:</source>
        <translation>Klasse:</translation>
    </message>
    <message>
        <source>Compare with this class: its nearest training digits and its average digit</source>
        <translation>Mit dieser Klasse vergleichen: ihre nächsten Trainingsziffern und ihre mittlere Ziffer</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <source>Drawing minus average. Red: ink the average lacks; blue: average ink the drawing lacks</source>
        <translation>Zeichnung − Mittel. Rot: Tinte, die dem Mittel fehlt; blau: Tinte des Mittels, die der Zeichnung fehlt</translation>
    </message>
    <message>
        <source>Distance: how different two 28×28 pictures are, pixel by pixel (0: the same)</source>
        <translation>Abstand: wie verschieden zwei 28×28-Bilder Bildpunkt für Bildpunkt sind (0: gleich)</translation>
    </message>
    <message>
        <source>predicted ({cls})</source>
        <translation>Vorhersage ({cls})</translation>
    </message>
    <message>
        <source>the network sees</source>
        <translation>das Netz sieht</translation>
    </message>
    <message>
        <source>nearest in MNIST</source>
        <translation>nächste in MNIST</translation>
    </message>
    <message>
        <source>average digit</source>
        <translation>mittlere Ziffer</translation>
    </message>
    <message>
        <source>nearest of the class</source>
        <translation>nächste der Klasse</translation>
    </message>
    <message>
        <source>average {cls}</source>
        <translation>Mittel der {cls}</translation>
    </message>
    <message>
        <source>nearest in MNIST: label, distance</source>
        <translation>nächste in MNIST: Klasse, Abstand</translation>
    </message>
    <message>
        <source>nearest {cls}s of the {count} in MNIST</source>
        <translation>nächste {cls} unter den {count} in MNIST</translation>
    </message>
    <message>
        <source>Waiting for MNIST…</source>
        <translation>Warte auf MNIST…</translation>
    </message>
    <message>
        <source>Draw a digit on the pad: here it appears beside the MNIST digits nearest to it.</source>
        <translation>Eine Ziffer auf die Zeichenfläche zeichnen: hier erscheint sie neben den MNIST-Ziffern, die ihr am nächsten sind.</translation>
    </message>
    <message>
        <source>No nearest digits: {message}</source>
        <translation>Keine nächsten Ziffern: {message}</translation>
    </message>
</context>
</TS>
