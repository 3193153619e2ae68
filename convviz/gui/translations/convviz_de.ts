<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE" sourcelanguage="en_GB">
<context>
    <name>Adversarial</name>
    <message>
        <location filename="../panels/adversarial.py" line="141"/>
        <source>Fool the network</source>
        <translation>Das Netz täuschen</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="142"/>
        <source>FGSM: one step along the sign of the gradient; PGD: 10 smaller steps</source>
        <translation>FGSM: ein Schritt in Richtung des Vorzeichens des Gradienten; PGD: 10 kleinere Schritte</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="145"/>
        <source>ε: the most any pixel may change</source>
        <translation>ε: die größte erlaubte Änderung eines Bildpunkts</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="146"/>
        <source>any mistake</source>
        <translation>irgendein Fehler</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="148"/>
        <source>make it a {digit}</source>
        <translation>mach eine {digit} daraus</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="149"/>
        <source>Untargeted, or push the network toward one digit</source>
        <translation>Ungezielt, oder das Netz zu einer bestimmten Ziffer drängen</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="150"/>
        <source>use drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="151"/>
        <source>original</source>
        <translation>Original</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="151"/>
        <source>change ×1/ε</source>
        <translation>Änderung ×1/ε</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="151"/>
        <source>adversarial</source>
        <translation>Täuschung</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="158"/>
        <source>Accuracy against ε</source>
        <translation>Genauigkeit über ε</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="159"/>
        <source>Attack 1,000 test digits with the shipped dense, cnn and LeNet-5 at ε from 0 to 0.3</source>
        <translation>1.000 Testziffern mit den mitgelieferten Netzen dense, cnn und LeNet-5 bei ε von 0 bis 0,3 angreifen</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="165"/>
        <source>ε</source>
        <translation>ε</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="166"/>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="224"/>
        <source>attacking … {percent} %</source>
        <translation>greife an … {percent} %</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="266"/>
        <source>says {digit} ({p} %)</source>
        <translation>sagt {digit} ({p} %)</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="269"/>
        <source>±{eps} (±{levels}/255)</source>
        <translation>±{eps} (±{levels}/255)</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="280"/>
        <source>{method} on {images} test digits, {seconds} s</source>
        <translation>{method} auf {images} Testziffern, {seconds} s</translation>
    </message>
    <message>
        <location filename="../window/lab.py" line="106"/>
        <source>The attack appears once a model is ready.</source>
        <translation>Der Angriff erscheint, sobald ein Modell bereit ist.</translation>
    </message>
    <message>
        <location filename="../window/lab.py" line="109"/>
        <source>Choose a digit (feature maps) or draw one.</source>
        <translation>Eine Ziffer wählen (Merkmalskarten) oder eine zeichnen.</translation>
    </message>
    <message>
        <location filename="../window/lab.py" line="130"/>
        <source>The curves need the MNIST test digits.</source>
        <translation>Die Kurven brauchen die MNIST-Testziffern.</translation>
    </message>
</context>
<context>
    <name>ArchEditor</name>
    <message>
        <location filename="../panels/archeditor.py" line="36"/>
        <source>data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="37"/>
        <source>view, no copy</source>
        <translation>nur umgeformt, keine Kopie</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="38"/>
        <source>padded copy</source>
        <translation>aufgefüllte Kopie</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="200"/>
        <source>Not a network: {message}</source>
        <translation>Kein gültiges Netz: {message}</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="203"/>
        <source>Type a network, e.g. {example}</source>
        <translation>Ein Netz eingeben, zum Beispiel {example}</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="208"/>
        <source>{params} parameters ({weights} of weights)</source>
        <translation>{params} Parameter ({weights} an Gewichten)</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="227"/>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="246"/>
        <source>One training step, all {images} images at once: {full}</source>
        <translation>Ein Trainingsschritt mit allen {images} Bildern auf einmal: {full}</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="247"/>
        <source>One training step, a mini-batch of {size}: {batch}, {ratio}× less</source>
        <translation>Ein Trainingsschritt mit einem Stapel von {size}: {batch}, {ratio}× weniger</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="263"/>
        <source>Start from</source>
        <translation>Ausgehend von</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="264"/>
        <source>a built-in network…</source>
        <translation>einem eingebauten Netz…</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="265"/>
        <source>&amp;Network</source>
        <translation>&amp;Netz</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="266"/>
        <source>Use</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="267"/>
        <source>Train and show this network (Enter)</source>
        <translation>Dieses Netz trainieren und zeigen (Eingabetaste)</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>Layers joined by -, for example {example}:</source>
        <translation>Schichten, durch - verbunden, zum Beispiel {example}:</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>pad2: 2 zeros around the image</source>
        <translation>pad2: 2 Nullen rings um das Bild</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>conv32@5x5: 32 filters of 5×5, the output as large as the input</source>
        <translation>conv32@5x5: 32 Filter der Größe 5×5, die Ausgabe behält die Größe der Eingabe</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>conv32@5x5v: valid, without a border of zeros; conv32@5x5/2: stride 2</source>
        <translation>conv32@5x5v: valid, ohne Rand aus Nullen; conv32@5x5/2: Schrittweite 2</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>pool2: the maximum of each 2×2 window</source>
        <translation>pool2: der größte Wert jedes 2×2-Fensters</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>dense128: 128 units</source>
        <translation>dense128: 128 Neuronen</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="268"/>
        <source>The reshape before the first dense layer and the 10-way output layer are added.</source>
        <translation>Die Umformung vor der ersten dense-Schicht und die Ausgabeschicht für die 10 Ziffern kommen von selbst hinzu.</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="214"/>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="214"/>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="214"/>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="214"/>
        <source>Counted</source>
        <translation>Gezählt</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="214"/>
        <source>All {images} images</source>
        <translation>Alle {images} Bilder</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="214"/>
        <source>Batch of {size}</source>
        <translation>Stapel von {size}</translation>
    </message>
    <message>
        <location filename="../panels/archeditor.py" line="304"/>
        <source>Your own network</source>
        <translation>Eigenes Netz</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../common/widgets.py" line="48"/>
        <source>Hide this message</source>
        <translation>Diese Meldung ausblenden</translation>
    </message>
</context>
<context>
    <name>Bridge</name>
    <message>
        <location filename="../window/bridge.py" line="88"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../window/bridge.py" line="110"/>
        <source>Waiting for a notebook on port {port}. Paste this line into it:</source>
        <translation>Warte auf ein Notebook an Port {port}. Diese Zeile dort einfügen:</translation>
    </message>
    <message>
        <location filename="../window/bridge.py" line="119"/>
        <source>A notebook connected while ConvViz trains: its stream is not shown.</source>
        <translation>Ein Notebook hat sich verbunden, während ConvViz trainiert: sein Training wird nicht gezeigt.</translation>
    </message>
    <message>
        <location filename="../window/bridge.py" line="123"/>
        <source>Streaming from the notebook {name} (stream {number}).</source>
        <translation>Das Notebook {name} sendet sein Training (Verbindung {number}).</translation>
    </message>
    <message>
        <location filename="../window/bridge.py" line="230"/>
        <source>Notebook bridge: {line}</source>
        <translation>Notebook-Verbindung: {line}</translation>
    </message>
    <message>
        <location filename="../window/bridge.py" line="184"/>
        <source>notebook: {steps} steps · {rate} steps/s</source>
        <translation>Notebook: {steps} Schritte · {rate} Schritte/s</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <location filename="../controller/__init__.py" line="169"/>
        <source>MNIST ready: {train} training and {test} test images</source>
        <translation>MNIST bereit: {train} Trainings- und {test} Testbilder</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="186"/>
        <source>MNIST: {message}</source>
        <translation>MNIST: {message}</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="229"/>
        <source>Could not load the model: {message}</source>
        <translation>Das Modell ließ sich nicht laden: {message}</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="231"/>
        <source>Could not build the pretrained model: {message}</source>
        <translation>Das vortrainierte Modell ließ sich nicht aufbauen: {message}</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="233"/>
        <source>Could not build the untrained model: {message}</source>
        <translation>Das untrainierte Modell ließ sich nicht aufbauen: {message}</translation>
    </message>
    <message>
        <location filename="../jobs/padinference.py" line="197"/>
        <source>The pad cannot use these weights: {message}</source>
        <translation>Die Zeichenfläche kann diese Gewichte nicht verwenden: {message}</translation>
    </message>
    <message>
        <location filename="../jobs/padinference.py" line="157"/>
        <source>Could not build the {arch} network for the pad: {message}</source>
        <translation>Das Netz {arch} für die Zeichenfläche ließ sich nicht aufbauen: {message}</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="261"/>
        <source>there is no model to save yet</source>
        <translation>es gibt noch kein Modell zum Speichern</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="296"/>
        <source>MNIST is not on this computer yet.</source>
        <translation>MNIST ist noch nicht auf diesem Rechner.</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="338"/>
        <source>Waiting for MNIST to load…</source>
        <translation>Warte, bis MNIST geladen ist…</translation>
    </message>
    <message>
        <location filename="../controller/__init__.py" line="363"/>
        <source>Training stopped: {message}</source>
        <translation>Training abgebrochen: {message}</translation>
    </message>
    <message>
        <location filename="../jobs/padinference.py" line="310"/>
        <source>The network gives no answer: {message}</source>
        <translation>Das Netz gibt keine Antwort: {message}</translation>
    </message>
    <message>
        <location filename="../controller/runstore.py" line="37"/>
        <source>The run was not saved: {message}</source>
        <translation>Der Lauf wurde nicht gespeichert: {message}</translation>
    </message>
    <message>
        <location filename="../controller/runstore.py" line="57"/>
        <source>Could not read the saved runs: {message}</source>
        <translation>Die gespeicherten Läufe ließen sich nicht lesen: {message}</translation>
    </message>
    <message>
        <location filename="../controller/runstore.py" line="82"/>
        <source>Could not load the run: {message}</source>
        <translation>Der Lauf ließ sich nicht laden: {message}</translation>
    </message>
    <message>
        <location filename="../controller/runstore.py" line="108"/>
        <source>This run was saved without its weights.</source>
        <translation>Dieser Lauf wurde ohne seine Gewichte gespeichert.</translation>
    </message>
    <message>
        <location filename="../controller/runstore.py" line="118"/>
        <source>Could not delete the run: {message}</source>
        <translation>Der Lauf ließ sich nicht löschen: {message}</translation>
    </message>
</context>
<context>
    <name>Controls</name>
    <message>
        <location filename="../panels/controls.py" line="69"/>
        <source>your own network: {spec}</source>
        <translation>eigenes Netz: {spec}</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="411"/>
        <source>your own…</source>
        <translation>eigenes…</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="412"/>
        <source>Write your own network, e.g. conv32@5x5-pool2-dense128, and see its shapes</source>
        <translation>Ein eigenes Netz schreiben, z. B. conv32@5x5-pool2-dense128, und seine Formen sehen</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="50"/>
        <source>the dense net of the previous exercise</source>
        <translation>das dichte Netz der vorigen Übung</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="51"/>
        <source>a compact CNN: two conv + pool stages</source>
        <translation>ein kompaktes CNN: zwei Stufen aus conv + pool</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="52"/>
        <source>the CNN in the exercise notebook&apos;s template</source>
        <translation>das CNN aus der Vorlage des Übungsnotebooks</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="53"/>
        <source>LeCun et al.&apos;s LeNet-5 (1998)</source>
        <translation>LeNet-5 von LeCun und anderen (1998)</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="116"/>
        <source>full speed</source>
        <translation>volles Tempo</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="118"/>
        <source>{speed} batch/s</source>
        <translation>{speed} Stapel/s</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="119"/>
        <source>{speed} batches/s</source>
        <translation>{speed} Stapel/s</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="133"/>
        <source>{params} parameters · memory: full batch ({images}) {full}, mini-batch ({size}) {batch}</source>
        <translation>{params} Parameter · Speicher: alle Bilder auf einmal ({images}) {full}, ein Stapel ({size}) {batch}</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="392"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="393"/>
        <source>architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="394"/>
        <source>Training</source>
        <translation>Training</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>batching</source>
        <translation>Stapelbildung</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>momentum</source>
        <translation>Momentum</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>rate decay</source>
        <translation>Abklingrate</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="395"/>
        <source>train on</source>
        <translation>Training mit</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="423"/>
        <source>Arrows step 1-2-5 per decade; switching optimizer suggests a rate</source>
        <translation>Die Pfeile gehen in Schritten 1-2-5 je Dekade; ein anderer Optimierer schlägt eine Lernrate vor</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="426"/>
        <source>SGD only; 0 is plain gradient descent</source>
        <translation>Nur für SGD; 0 ist das einfache Gradientenverfahren</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="427"/>
        <source> {times} per epoch</source>
        <translation> {times} je Epoche</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="428"/>
        <source>Multiply the learning rate by this after every epoch; 1 keeps it constant</source>
        <translation>Die Lernrate wird nach jeder Epoche mit diesem Faktor multipliziert; 1 hält sie konstant</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="431"/>
        <source> images</source>
        <translation> Bildern</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="432"/>
        <source>all {images}</source>
        <translation>alle {images}</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="433"/>
        <source>Train on the first N images only: quick demos</source>
        <translation>Nur mit den ersten N Bildern trainieren: für schnelle Vorführungen</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="434"/>
        <source>▶ Start</source>
        <translation>▶ Start</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="435"/>
        <source>■ Stop</source>
        <translation>■ Stopp</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="436"/>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="437"/>
        <source>Train exactly one batch, then pause: one weight update at a time (with no run, starts one)</source>
        <translation>Genau einen Stapel trainieren, dann pausieren: eine Gewichtsänderung nach der anderen (ohne laufendes Training startet eines)</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="441"/>
        <source>Pause or resume the run (space bar)</source>
        <translation>Training pausieren oder fortsetzen (Leertaste)</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="443"/>
        <source>speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="444"/>
        <source>Batches a second, also during a run; slow speeds show every batch&apos;s loss and weights</source>
        <translation>Stapel pro Sekunde, auch während des Trainings; langsam zeigt jeden Stapel mit Verlust und Gewichten</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="448"/>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="449"/>
        <source>Save the model in use (weights.npz + model.json) into a folder</source>
        <translation>Das verwendete Modell (weights.npz + model.json) in einen Ordner speichern</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="452"/>
        <source>Load…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="453"/>
        <source>Load a saved model folder</source>
        <translation>Einen gespeicherten Modellordner laden</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="454"/>
        <source>Pretrained</source>
        <translation>Vortrainiert</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="455"/>
        <source>Load the shipped, fully trained weights for this architecture</source>
        <translation>Die mitgelieferten, fertig trainierten Gewichte dieser Architektur laden</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="612"/>
        <source>Resume</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="612"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../panels/controls.py" line="668"/>
        <source>Not started: {problem}</source>
        <translation>Nicht gestartet: {problem}</translation>
    </message>
</context>
<context>
    <name>Convolution</name>
    <message>
        <location filename="../panels/convolution.py" line="42"/>
        <source>slow</source>
        <translation>langsam</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="42"/>
        <source>medium</source>
        <translation>mittel</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="42"/>
        <source>fast</source>
        <translation>schnell</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="42"/>
        <source>very fast</source>
        <translation>sehr schnell</translation>
    </message>
    <message>
        <location filename="../window/inside.py" line="90"/>
        <source>The convolution appears once a model is ready.</source>
        <translation>Die Faltung erscheint, sobald ein Modell bereit ist.</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="224"/>
        <source>layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="225"/>
        <source>filter:</source>
        <translation>Filter:</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="226"/>
        <source>input channel:</source>
        <translation>Eingangskanal:</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="227"/>
        <source>The grids show one input channel; the sum runs over all of them</source>
        <translation>Die Raster zeigen einen Eingangskanal; die Summe läuft über alle</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="230"/>
        <source>position (row, column):</source>
        <translation>Stelle (Zeile, Spalte):</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="231"/>
        <source>row of the output position</source>
        <translation>Zeile der Ausgabestelle</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="232"/>
        <source>column of the output position</source>
        <translation>Spalte der Ausgabestelle</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="233"/>
        <source>speed:</source>
        <translation>Tempo:</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="234"/>
        <source>kernel positions a second</source>
        <translation>Stellen des Kerns pro Sekunde</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="238"/>
        <source>products</source>
        <translation>Produkte</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="239"/>
        <source>The ReLU turns a negative sum into 0; the last line is the network&apos;s own value</source>
        <translation>Die ReLU macht aus einer negativen Summe 0; die letzte Zeile ist der Wert des Netzes selbst</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="249"/>
        <source>❚❚ Pause</source>
        <translation>❚❚ Pause</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="250"/>
        <source>Stop the kernel where it is</source>
        <translation>Den Kern anhalten, wo er gerade ist</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="252"/>
        <source>▶ Slide</source>
        <translation>▶ Schieben</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="253"/>
        <source>Slide the kernel over the input and fill the feature map</source>
        <translation>Den Kern über die Eingabe schieben und die Merkmalskarte füllen</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="287"/>
        <source>The {arch} network has no convolution: its first layer weighs each pixel on its own.</source>
        <translation>Das Netz {arch} hat keine Faltung: seine erste Schicht gewichtet jeden Bildpunkt einzeln.</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="290"/>
        <source>Choose cnn, template or lenet5 to look inside a convolution.</source>
        <translation>Für einen Blick in eine Faltung cnn, template oder lenet5 wählen.</translation>
    </message>
    <message>
        <location filename="../window/inside.py" line="101"/>
        <source>Choose a digit (feature maps) or draw one.</source>
        <translation>Eine Ziffer wählen (Merkmalskarten) oder eine zeichnen.</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="597"/>
        <source>input patch ({size})</source>
        <translation>Ausschnitt ({size})</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="598"/>
        <source>kernel of filter {index}</source>
        <translation>Kern von Filter {index}</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="602"/>
        <source>input {size}</source>
        <translation>Eingabe {size}</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="607"/>
        <source>{layer}, channel {channel}</source>
        <translation>{layer}, Kanal {channel}</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="612"/>
        <source>grey: zeros around the edge</source>
        <translation>grau: Nullen am Rand</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="613"/>
        <source>click: move the kernel there</source>
        <translation>Klick: den Kern dorthin setzen</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="615"/>
        <source>feature map {index}</source>
        <translation>Merkmalskarte {index}</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="616"/>
        <source>{layer}&apos;s map {index} as the network computed it; click: pick a position</source>
        <translation>Karte {index} von {layer}, wie das Netz sie berechnet; Klick: eine Stelle wählen</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="644"/>
        <source>channel {channel}</source>
        <translation>Kanal {channel}</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="652"/>
        <source>bias</source>
        <translation>Bias</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="653"/>
        <source>before the ReLU</source>
        <translation>vor der ReLU</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="654"/>
        <source>ReLU → map ({row}, {col})</source>
        <translation>ReLU → Karte ({row}, {col})</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="659"/>
        <source>the network computed</source>
        <translation>das Netz berechnete</translation>
    </message>
    <message>
        <location filename="../window/inside.py" line="107"/>
        <source>the drawing</source>
        <translation>die Zeichnung</translation>
    </message>
    <message>
        <location filename="../window/inside.py" line="109"/>
        <source>test image {index}</source>
        <translation>Testbild {index}</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/convolution.py" line="646"/>
        <source>all %n channel(s)</source>
        <translation>
            <numerusform>den einzigen Kanal</numerusform>
            <numerusform>alle %n Kanäle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/convolution.py" line="650"/>
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n Produkt</numerusform>
            <numerusform>%n Produkte</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Core</name>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>Dense net 784-300-10 (the previous exercise)</source>
        <translation>Dichtes Netz 784-300-10 (die vorige Übung)</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>CNN: conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10</source>
        <translation>CNN: conv 64@5x5, pool, conv 96@3x3, pool, dense 128, dense 10</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>Template CNN: conv 64@5x5, conv 64@5x5, dense 128, dense 10</source>
        <translation>CNN der Vorlage: conv 64@5x5, conv 64@5x5, dense 128, dense 10</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>LeNet-5: pad to 32x32, conv 6@5x5, pool, conv 16@5x5, pool, conv 120@5x5, dense 84</source>
        <translation>LeNet-5: auf 32x32 aufgefüllt, conv 6@5x5, pool, conv 16@5x5, pool, conv 120@5x5, dense 84</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>numpy: a random batch taken at the last moment, fed through placeholders</source>
        <translation>numpy: ein zufälliger Stapel, erst im letzten Moment gezogen und über Platzhalter eingespeist</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>tf.data: Dataset.from_tensor_slices + shuffle + batch, initializable iterator</source>
        <translation>tf.data: Dataset.from_tensor_slices → .shuffle() → .batch(), initialisierbarer Iterator</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>tf.estimator: Estimator with a model_fn returning an EstimatorSpec</source>
        <translation>tf.estimator: ein Estimator, dessen model_fn eine EstimatorSpec liefert</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>not sure</source>
        <translation>unsicher</translation>
    </message>
    <message>
        <location filename="../common/i18n.py" line="301"/>
        <source>not a digit</source>
        <translation>keine Ziffer</translation>
    </message>
</context>
<context>
    <name>DataJob</name>
    <message>
        <location filename="../jobs/loading.py" line="107"/>
        <source>MNIST is not on this computer yet (about 11 MB to download).</source>
        <translation>MNIST ist noch nicht auf diesem Rechner (etwa 11 MB zum Herunterladen).</translation>
    </message>
    <message>
        <location filename="../jobs/loading.py" line="112"/>
        <source>the MNIST download was cancelled</source>
        <translation>das Herunterladen von MNIST wurde abgebrochen</translation>
    </message>
</context>
<context>
    <name>Diagnostics</name>
    <message>
        <location filename="../panels/diagnostics.py" line="151"/>
        <source>dead {share}</source>
        <translation>tot {share}</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="152"/>
        <source>log10 ratio {value}</source>
        <translation>log10-Verhältnis {value}</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="165"/>
        <source>weights</source>
        <translation>Gewichte</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="166"/>
        <source>activations</source>
        <translation>Aktivierungen</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="167"/>
        <source>gradients</source>
        <translation>Gradienten</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="175"/>
        <source>Compare with:</source>
        <translation>Vergleichen mit:</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="176"/>
        <source>Histograms (log scale) of 1,000 test digits; a healthy update: log10 about -3.</source>
        <translation>Histogramme (logarithmisch) über 1.000 Testziffern; ein gesunder Schritt: log10 etwa -3.</translation>
    </message>
    <message>
        <location filename="../window/lookinside.py" line="234"/>
        <source>Run {id}: {arch}, lr {lr}</source>
        <translation>Lauf {id}: {arch}, Lernrate {lr}</translation>
    </message>
    <message>
        <location filename="../window/lookinside.py" line="247"/>
        <source>Model in use: {arch}</source>
        <translation>Verwendetes Modell: {arch}</translation>
    </message>
    <message>
        <location filename="../window/lookinside.py" line="296"/>
        <source>Computed in {seconds} s</source>
        <translation>Berechnet in {seconds} s</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="143"/>
        <source>{title}: step {step}, dead ReLU units {share}</source>
        <translation>{title}: Schritt {step}, tote ReLU-Einheiten {share}</translation>
    </message>
</context>
<context>
    <name>Download</name>
    <message>
        <location filename="../window/download.py" line="45"/>
        <source>Download MNIST?</source>
        <translation>MNIST herunterladen?</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="46"/>
        <source>Training needs MNIST, which is not on this computer yet.</source>
        <translation>Zum Trainieren wird MNIST gebraucht, das noch nicht auf diesem Rechner ist.</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="47"/>
        <source>Download it now? About 11 MB; it is kept for the next time.</source>
        <translation>Jetzt herunterladen? Etwa 11 MB; es bleibt für das nächste Mal gespeichert.</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="48"/>
        <source>Download</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="53"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="52"/>
        <source>Downloading MNIST</source>
        <translation>MNIST wird heruntergeladen</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="103"/>
        <source>Downloading MNIST…</source>
        <translation>MNIST wird heruntergeladen…</translation>
    </message>
    <message>
        <location filename="../window/download.py" line="105"/>
        <source>Downloading {file}: {megabytes} MB</source>
        <translation>Lade {file} herunter: {megabytes} MB</translation>
    </message>
</context>
<context>
    <name>DrawPad</name>
    <message>
        <location filename="../panels/drawpad.py" line="192"/>
        <source>drawing pad</source>
        <translation>Zeichenfläche</translation>
    </message>
    <message>
        <location filename="../panels/drawpad.py" line="193"/>
        <source>Clear</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../panels/drawpad.py" line="213"/>
        <source>large and centred</source>
        <translation>groß und mittig</translation>
    </message>
    <message>
        <location filename="../panels/drawpad.py" line="217"/>
        <source>draw a digit, large and centred</source>
        <translation>eine Ziffer zeichnen, groß und mittig</translation>
    </message>
    <message>
        <location filename="../panels/drawpad.py" line="219"/>
        <source>Draw a digit with the left button; right-click clears</source>
        <translation>Eine Ziffer mit der linken Maustaste zeichnen; die rechte Maustaste löscht</translation>
    </message>
    <message>
        <location filename="../panels/drawpad.py" line="194"/>
        <source>Wipe the pad (or right-click it); Ctrl+Z takes back the last stroke</source>
        <translation>Fläche leeren (oder Rechtsklick darauf); Strg+Z nimmt den letzten Strich zurück</translation>
    </message>
</context>
<context>
    <name>Embedding</name>
    <message>
        <location filename="../panels/embedding.py" line="160"/>
        <source>{method} of {count} test digits ({seconds} s)</source>
        <translation>{method} von {count} Testziffern ({seconds} s)</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="167"/>
        <source>{method} of {count} test digits after step {step} ({seconds} s)</source>
        <translation>{method} von {count} Testziffern nach Schritt {step} ({seconds} s)</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="181"/>
        <source>Computing the maps ...</source>
        <translation>Die Karten werden berechnet …</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="245"/>
        <source>Map:</source>
        <translation>Karte:</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="246"/>
        <source>Layers:</source>
        <translation>Schichten:</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="255"/>
        <source>PCA follows every training snapshot; t-SNE is computed once, on request.</source>
        <translation>PCA folgt jedem Trainingsschnappschuss; t-SNE wird einmal auf Anfrage berechnet.</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="257"/>
        <source>t-SNE needs scikit-learn, which is not installed here: PCA only.</source>
        <translation>t-SNE braucht scikit-learn, das hier nicht installiert ist: nur PCA.</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="259"/>
        <source>A point is a test digit, coloured by its label. Click: show it.</source>
        <translation>Ein Punkt ist eine Testziffer in der Farbe ihrer Klasse. Klick: sie zeigen.</translation>
    </message>
    <message>
        <location filename="../window/lookinside.py" line="148"/>
        <source>The maps appear once a model and MNIST are ready.</source>
        <translation>Die Karten erscheinen, sobald ein Modell und MNIST bereit sind.</translation>
    </message>
    <message>
        <location filename="../window/lookinside.py" line="155"/>
        <source>No conv layers here: the maps show the input, dense layers and logits.</source>
        <translation>Hier gibt es keine Faltungsschichten: Die Karten zeigen Eingabe, Dense-Schichten und Logits.</translation>
    </message>
</context>
<context>
    <name>Enlarged</name>
    <message>
        <location filename="../common/enlarge.py" line="124"/>
        <source>enlarged</source>
        <translation>vergrößert</translation>
    </message>
    <message>
        <location filename="../common/enlarge.py" line="115"/>
        <source>values {min} to {max}; colours span {low} to {high}</source>
        <translation>Werte {min} bis {max}; Farben reichen von {low} bis {high}</translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message>
        <location filename="../panels/evaluation.py" line="313"/>
        <source>Classify the test images again with the weights of this moment</source>
        <translation>Die Testbilder mit den Gewichten dieses Augenblicks erneut klassifizieren</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="316"/>
        <source>Click a cell to see its test images</source>
        <translation>Klick auf eine Zelle zeigt ihre Testbilder</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="307"/>
        <source>Confusion matrix</source>
        <translation>Konfusionsmatrix</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="312"/>
        <source>Evaluate now</source>
        <translation>Jetzt auswerten</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="311"/>
        <source>Every misclassified test image, most confident first</source>
        <translation>Alle falsch klassifizierten Testbilder, die sichersten zuerst</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="310"/>
        <source>all mistakes</source>
        <translation>alle Fehler</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="145"/>
        <source>right</source>
        <translation>richtig</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="517"/>
        <source>test image {index}: label {label}, predicted {pred} ({sure} sure)</source>
        <translation>Testbild {index}: Klasse {label}, vorhergesagt {pred} ({sure} sicher)</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="510"/>
        <source>the digits of a cell appear here</source>
        <translation>hier erscheinen die Ziffern einer Zelle</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="502"/>
        <source>{heading} (the first {shown})</source>
        <translation>{heading} (die ersten {shown})</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="309"/>
        <source>blue: right · red: wrong · click a cell</source>
        <translation>blau: richtig · rot: falsch · Klick: Ziffern</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="308"/>
        <source>rows: true label, columns: prediction</source>
        <translation>Zeile: wahre Klasse, Spalte: Vorhersage</translation>
    </message>
    <message>
        <location filename="../panels/evaluation.py" line="491"/>
        <source>{label}→{label}: {count} right, the least sure first</source>
        <translation>{label}→{label}: {count} richtig, die unsichersten zuerst</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/evaluation.py" line="462"/>
        <source>%n mistake(s) · {right} of {total} right ({accuracy})</source>
        <translation>
            <numerusform>%n Fehler · {right} von {total} richtig ({accuracy})</numerusform>
            <numerusform>%n Fehler · {right} von {total} richtig ({accuracy})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/evaluation.py" line="494"/>
        <source>{label}→{pred}: %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>{label}→{pred}: %n Fehler</numerusform>
            <numerusform>{label}→{pred}: %n Fehler, die sichersten zuerst</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/evaluation.py" line="497"/>
        <source>label {label}: %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>Klasse {label}: %n Fehler</numerusform>
            <numerusform>Klasse {label}: %n Fehler, die sichersten zuerst</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/evaluation.py" line="500"/>
        <source>all %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>der einzige Fehler</numerusform>
            <numerusform>alle %n Fehler, die sichersten zuerst</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../common/export.py" line="31"/>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="32"/>
        <source>SVG vector graphics (*.svg)</source>
        <translation>SVG-Vektorgrafik (*.svg)</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="66"/>
        <source>cannot save the figure as {name}: name a .png or .svg file</source>
        <translation>die Abbildung lässt sich nicht als {name} speichern: bitte eine .png- oder .svg-Datei angeben</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="162"/>
        <source>cannot save the figure to {path}: {reason}</source>
        <translation>die Abbildung lässt sich nicht unter {path} speichern: {reason}</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="168"/>
        <source>the folder {folder} does not exist</source>
        <translation>den Ordner {folder} gibt es nicht</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="170"/>
        <source>it is a folder</source>
        <translation>dort ist ein Ordner</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="171"/>
        <source>the file cannot be written there (permissions, or a full disk)</source>
        <translation>die Datei kann dort nicht geschrieben werden (Rechte oder volle Festplatte)</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="223"/>
        <source>Save figure as PNG…</source>
        <translation>Bild als PNG speichern…</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="224"/>
        <source>Save figure as SVG…</source>
        <translation>Bild als SVG speichern…</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="225"/>
        <source>Copy figure</source>
        <translation>Bild kopieren</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="238"/>
        <source>Save figure…</source>
        <translation>Bild speichern…</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="232"/>
        <source>Save this figure as PNG or SVG for slides (or right-click the figure)</source>
        <translation>Diese Abbildung als PNG oder SVG für Folien speichern (oder Rechtsklick auf die Abbildung)</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="256"/>
        <source>Figure saved to {path}</source>
        <translation>Abbildung gespeichert unter {path}</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="264"/>
        <source>Save the figure</source>
        <translation>Abbildung speichern</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="278"/>
        <source>Figure not saved</source>
        <translation>Abbildung nicht gespeichert</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="290"/>
        <source>Figure copied to the clipboard</source>
        <translation>Abbildung in die Zwischenablage kopiert</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="90"/>
        <source>it is not a regular file; name a file</source>
        <translation>das ist keine gewöhnliche Datei; bitte eine Datei angeben</translation>
    </message>
    <message>
        <location filename="../common/export.py" line="102"/>
        <source>the figure could not be drawn as PNG</source>
        <translation>die Abbildung ließ sich nicht als PNG zeichnen</translation>
    </message>
</context>
<context>
    <name>FeatureMaps</name>
    <message>
        <location filename="../panels/featuremaps.py" line="174"/>
        <source>feature maps appear once a model is ready</source>
        <translation>die Merkmalskarten erscheinen, sobald ein Modell bereit ist</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="177"/>
        <source>Save the maps and bars as PNG or SVG for slides (or right-click them)</source>
        <translation>Karten und Balken als PNG oder SVG für Folien speichern (oder Rechtsklick darauf)</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="217"/>
        <source>Index into the 10 000 test images</source>
        <translation>Nummer unter den 10 000 Testbildern</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="218"/>
        <source>previous test image</source>
        <translation>voriges Testbild</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="219"/>
        <source>next test image</source>
        <translation>nächstes Testbild</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="220"/>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="225"/>
        <source>use drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="226"/>
        <source>Show the digit from the drawing pad instead of a test image</source>
        <translation>Die Ziffer von der Zeichenfläche statt eines Testbilds zeigen</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="229"/>
        <source>input digit</source>
        <translation>Eingabeziffer</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="230"/>
        <source>network says:</source>
        <translation>das Netz sagt:</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="231"/>
        <source>click a map to enlarge it</source>
        <translation>Klick: Karte vergrößern</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="353"/>
        <source>this network has no conv or pool layers: no feature maps</source>
        <translation>dieses Netz hat keine conv- oder pool-Schichten: keine Merkmalskarten</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="392"/>
        <source>{layer}, map {index} of {count}: {size} activations</source>
        <translation>{layer}, Karte {index} von {count}: {size} Aktivierungen</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="464"/>
        <source>correct (label {label})</source>
        <translation>richtig (Klasse {label})</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="468"/>
        <source>wrong: the label is {label}</source>
        <translation>falsch: die Klasse ist {label}</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="541"/>
        <source>from the drawing pad</source>
        <translation>von der Zeichenfläche</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="543"/>
        <source>draw a digit first</source>
        <translation>zuerst eine Ziffer zeichnen</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="546"/>
        <source>test image {index}, label {label}</source>
        <translation>Testbild {index}, Klasse {label}</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="549"/>
        <source>no test set yet</source>
        <translation>noch keine Testdaten</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="224"/>
        <source>The next test image the network gets wrong</source>
        <translation>Das nächste Testbild, das das Netz falsch klassifiziert</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="223"/>
        <source>The previous test image the network gets wrong</source>
        <translation>Das vorige Testbild, das das Netz falsch klassifiziert</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="222"/>
        <source>mistake ▶</source>
        <translation>Fehler ▶</translation>
    </message>
    <message>
        <location filename="../panels/featuremaps.py" line="221"/>
        <source>◀ mistake</source>
        <translation>◀ Fehler</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/featurebars.py" line="182"/>
        <source>&lt;b&gt;{layer}&lt;/b&gt;: %n unit(s) (ReLU)</source>
        <translation>
            <numerusform>&lt;b&gt;{layer}&lt;/b&gt;: %n Neuron (ReLU)</numerusform>
            <numerusform>&lt;b&gt;{layer}&lt;/b&gt;: %n Neuronen (ReLU)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterWishes</name>
    <message>
        <location filename="../panels/wishes.py" line="111"/>
        <source>Compute finds, for every filter, the input it responds to most.</source>
        <translation>„Berechnen“ findet für jeden Filter die Eingabe, auf die er am stärksten anspricht.</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="115"/>
        <source>layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="116"/>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="117"/>
        <source>Gradient ascent from grey noise: for each filter, the input that makes it fire most</source>
        <translation>Gradientenaufstieg aus grauem Rauschen: für jeden Filter die Eingabe, die ihn am stärksten aktiviert</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="122"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="123"/>
        <source>again after each epoch</source>
        <translation>nach jeder Epoche neu</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="124"/>
        <source>While training: compute them again after every epoch</source>
        <translation>Beim Training: nach jeder Epoche neu berechnen</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="125"/>
        <source>Save the kernels and the images as PNG or SVG</source>
        <translation>Kerne und Bilder als PNG oder SVG speichern</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="164"/>
        <source>The {arch} network has no convolution: it has no filters to show.</source>
        <translation>Das Netz {arch} hat keine Faltung und damit keine Filter zum Zeigen.</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="165"/>
        <source>Choose cnn, template or lenet5.</source>
        <translation>cnn, template oder lenet5 wählen.</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="199"/>
        <source>Computing the images the filters of {layer} want to see…</source>
        <translation>Berechne die Wunschbilder der Filter von {layer}…</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="229"/>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="234"/>
        <source>Could not compute them: {message}</source>
        <translation>Berechnung fehlgeschlagen: {message}</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="258"/>
        <source>learned kernels of {layer} (mean over input channels)</source>
        <translation>gelernte Kerne von {layer} (Mittel über die Eingangskanäle)</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="260"/>
        <source>learned kernels of {layer}</source>
        <translation>gelernte Kerne von {layer}</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="263"/>
        <source>what each filter wants to see</source>
        <translation>Wunschbild je Filter</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="315"/>
        <source>filter {index}: mean activation {before} on noise, {after} on its image</source>
        <translation>Filter {index}: mittlere Aktivierung {before} bei Rauschen, {after} bei seinem Bild</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="319"/>
        <source>filter {index}</source>
        <translation>Filter {index}</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="337"/>
        <source>{layer}, filter {index}: the input it responds to most</source>
        <translation>{layer}, Filter {index}: die Eingabe, auf die er am stärksten anspricht</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/wishes.py" line="216"/>
        <source>{layer}: %n image(s) in {seconds}; the filters fire {gain}× more than on noise</source>
        <translation>
            <numerusform>{layer}: %n Bild in {seconds}; die Filter feuern {gain}× stärker als bei Rauschen</numerusform>
            <numerusform>{layer}: %n Bilder in {seconds}; die Filter feuern {gain}× stärker als bei Rauschen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message>
        <location filename="../panels/filters.py" line="33"/>
        <source>channel {channel}</source>
        <translation>Kanal {channel}</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="34"/>
        <source>mean over channels</source>
        <translation>Mittel über die Kanäle</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="34"/>
        <source>the image</source>
        <translation>das Bild</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="105"/>
        <source>layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="106"/>
        <source>input channel:</source>
        <translation>Eingangskanal:</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="107"/>
        <source>Deeper kernels see many input channels: pick one, or their mean</source>
        <translation>Tiefere Kerne sehen viele Eingangskanäle: einen wählen oder ihr Mittel</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="227"/>
        <source>{layer}, filter {index}: {size} weights, input channel {channel}</source>
        <translation>{layer}, Filter {index}: {size} Gewichte, Eingangskanal {channel}</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="229"/>
        <source>{layer}, filter {index}: {size} weights, mean over inputs</source>
        <translation>{layer}, Filter {index}: {size} Gewichte, Mittel über die Eingänge</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="231"/>
        <source>{layer}, filter {index}: {size} weights</source>
        <translation>{layer}, Filter {index}: {size} Gewichte</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="235"/>
        <source>{layer}, unit {index}: its {size} weights</source>
        <translation>{layer}, Neuron {index}: seine {size} Gewichte</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="281"/>
        <source>no model yet</source>
        <translation>noch kein Modell</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="296"/>
        <source>{layer}: the {count} hidden units&apos; weights, each a {size} image</source>
        <translation>{layer}: die Gewichte der {count} verdeckten Neuronen, jedes ein {size}-Bild</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="308"/>
        <source>{title}   (colour range ±{range})</source>
        <translation>{title}   (Farbbereich ±{range})</translation>
    </message>
    <message>
        <location filename="../panels/filters.py" line="353"/>
        <source>filter {index}, weight [{row}, {col}] = {weight}   (click: enlarge)</source>
        <translation>Filter {index}, Gewicht [{row}, {col}] = {weight}   (Klick: vergrößern)</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/filters.py" line="288"/>
        <source>{layer}: %n filter(s) of {size}, input channel {channel}</source>
        <translation>
            <numerusform>{layer}: %n Filter zu {size}, Eingangskanal {channel}</numerusform>
            <numerusform>{layer}: %n Filter zu {size}, Eingangskanal {channel}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/filters.py" line="290"/>
        <source>{layer}: %n filter(s) of {size}, mean over input channels</source>
        <translation>
            <numerusform>{layer}: %n Filter zu {size}, Mittel über die Eingangskanäle</numerusform>
            <numerusform>{layer}: %n Filter zu {size}, Mittel über die Eingangskanäle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/filters.py" line="292"/>
        <source>{layer}: %n filter(s) of {size}, input: the image</source>
        <translation>
            <numerusform>{layer}: %n Filter zu {size}, Eingang: das Bild</numerusform>
            <numerusform>{layer}: %n Filter zu {size}, Eingang: das Bild</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Help</name>
    <message>
        <location filename="../window/menus.py" line="68"/>
        <source>button</source>
        <translation>Knopf</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="68"/>
        <source>mouse</source>
        <translation>Maus</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Pause or resume the training (anywhere but a text field)</source>
        <translation>Training anhalten oder fortsetzen (überall außer in einem Eingabefeld)</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Step: train one batch while paused, then pause again</source>
        <translation>Schritt: in der Pause einen Stapel trainieren, dann wieder anhalten</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Presenter mode: large type for the lecture hall, on and off</source>
        <translation>Präsentationsmodus: große Schrift für den Hörsaal, ein und aus</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Actual size: zoom and presenter mode off</source>
        <translation>Originalgröße: Zoom und Präsentationsmodus aus</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Full screen, on and off</source>
        <translation>Vollbild, ein und aus</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Right-click on the drawing pad: clear it</source>
        <translation>Rechtsklick auf die Zeichenfläche: leeren</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>On the drawing pad: take back the last stroke</source>
        <translation>Auf der Zeichenfläche: den letzten Strich zurücknehmen</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Right-click on a plot: save it as PNG or SVG for slides</source>
        <translation>Rechtsklick auf ein Diagramm: als PNG oder SVG für Folien speichern</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Copy the whole window to the clipboard</source>
        <translation>Das ganze Fenster in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="111"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="112"/>
        <source>Key</source>
        <translation>Taste</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="112"/>
        <source>What it does</source>
        <translation>Wirkung</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>One panel alone in the window (the one under the mouse); Esc: back</source>
        <translation>Ein Bereich allein im Fenster (der unter der Maus); Esc: zurück</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="69"/>
        <source>Double-click on a tab&apos;s title: that panel alone, and back</source>
        <translation>Doppelklick auf den Titel eines Reiters: dieser Bereich allein, und zurück</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <location filename="../window/launch.py" line="62"/>
        <source>Internal error ({error}); the details are in the terminal</source>
        <translation>Interner Fehler ({error}); die Einzelheiten stehen im Terminal</translation>
    </message>
</context>
<context>
    <name>Loss</name>
    <message>
        <location filename="../panels/loss.py" line="571"/>
        <source>epochs</source>
        <translation>Epochen</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="572"/>
        <source>examples seen</source>
        <translation>gesehene Bilder</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="256"/>
        <source>x axis:</source>
        <translation>x-Achse:</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="257"/>
        <source>log loss</source>
        <translation>Verlust logarithmisch</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="258"/>
        <source>The loss (left axis) on a logarithmic scale: late, small improvements stay visible</source>
        <translation>Der Verlust (linke Achse) auf logarithmischer Skala: späte, kleine Verbesserungen bleiben sichtbar</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="273"/>
        <source>loss per batch</source>
        <translation>Verlust je Stapel</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="264"/>
        <source>smoothed</source>
        <translation>geglättet</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="265"/>
        <source>test accuracy</source>
        <translation>Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="274"/>
        <source>loss, smoothed</source>
        <translation>Verlust, geglättet</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="275"/>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="276"/>
        <source>test accuracy (%)</source>
        <translation>Testgenauigkeit (%)</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="582"/>
        <source>loss {loss}</source>
        <translation>Verlust {loss}</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="586"/>
        <source>test accuracy {accuracy}</source>
        <translation>Testgenauigkeit {accuracy}</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="587"/>
        <source>test accuracy after epoch {epoch}</source>
        <translation>Testgenauigkeit nach Epoche {epoch}</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="590"/>
        <source>waiting for training…</source>
        <translation>warte auf das Training…</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="255"/>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <location filename="../panels/loss.py" line="573"/>
        <source>seconds since the start</source>
        <translation>Sekunden seit dem Start</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../window/race.py" line="26"/>
        <source>Race two runs…</source>
        <translation>Zwei Läufe im Wettrennen…</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="113"/>
        <source>Loading TensorFlow and the pretrained model in the background…</source>
        <translation>TensorFlow und das vortrainierte Modell werden im Hintergrund geladen…</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="30"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="41"/>
        <source>Presenter mode (large type)</source>
        <translation>Präsentationsmodus (große Schrift)</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="44"/>
        <source>Zoom in</source>
        <translation>Vergrößern</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="45"/>
        <source>Zoom out</source>
        <translation>Verkleinern</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="46"/>
        <source>Actual size</source>
        <translation>Originalgröße</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="48"/>
        <source>Full screen</source>
        <translation>Vollbild</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="54"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="231"/>
        <source>ConvViz — watch a convolutional network learn MNIST</source>
        <translation>ConvViz — einem Faltungsnetz beim Lernen von MNIST zusehen</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="291"/>
        <source>MNIST not downloaded: training needs it</source>
        <translation>MNIST nicht heruntergeladen: das Training braucht es</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="370"/>
        <source>MNIST missing: Start offers the download</source>
        <translation>MNIST fehlt: Start bietet das Herunterladen an</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="372"/>
        <source>no MNIST: Start tries the download again</source>
        <translation>kein MNIST: Start versucht das Herunterladen erneut</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="382"/>
        <source>{message} Start offers the download.</source>
        <translation>{message} Start bietet das Herunterladen an.</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="403"/>
        <source>Model ready: {model}</source>
        <translation>Modell bereit: {model}</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="430"/>
        <source>building the graph…</source>
        <translation>der Graph wird aufgebaut…</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="436"/>
        <source>Step: training one batch…</source>
        <translation>Schritt: ein Stapel wird trainiert…</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="440"/>
        <source>Stopping… then the test accuracy of the weights kept is measured</source>
        <translation>Wird gestoppt… danach wird die Testgenauigkeit der behaltenen Gewichte gemessen</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="460"/>
        <source>Epoch {epoch} done: test accuracy {accuracy}, mean training loss {loss}</source>
        <translation>Epoche {epoch} fertig: Testgenauigkeit {accuracy}, mittlerer Trainingsverlust {loss}</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="575"/>
        <source>loading a model…</source>
        <translation>ein Modell wird geladen…</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="65"/>
        <source>Could not save the model: {problem}</source>
        <translation>Das Modell ließ sich nicht speichern: {problem}</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="586"/>
        <source>Model saved to {path}</source>
        <translation>Modell gespeichert unter {path}</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="45"/>
        <source>Could not save the model: there is none yet</source>
        <translation>Das Modell ließ sich nicht speichern: es gibt noch keines</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="50"/>
        <source>Save the model as a new folder</source>
        <translation>Das Modell als neuen Ordner speichern</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="70"/>
        <source>Replace the saved model?</source>
        <translation>Das gespeicherte Modell ersetzen?</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="70"/>
        <source>{folder} holds a ConvViz model already.

Replace it with the model in use?</source>
        <translation>In {folder} liegt schon ein ConvViz-Modell.

Durch das verwendete Modell ersetzen?</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="80"/>
        <source>Not saved: {folder} keeps its model</source>
        <translation>Nicht gespeichert: {folder} behält sein Modell</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="91"/>
        <source>Load a model folder (with weights.npz and model.json)</source>
        <translation>Einen Modellordner laden (mit weights.npz und model.json)</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="511"/>
        <source>A run is training: its weights are in the pad</source>
        <translation>Ein Lauf trainiert: seine Gewichte sind in der Zeichenfläche</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="542"/>
        <source>Run deleted</source>
        <translation>Lauf gelöscht</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="29"/>
        <source>&amp;Batch sizes</source>
        <translation>S&amp;tapelgrößen</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="31"/>
        <source>Batch-size lab</source>
        <translation>Stapelgrößen-Labor</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="34"/>
        <source>Change learning rate…</source>
        <translation>Lernrate ändern…</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="394"/>
        <source>no model: Load… or Pretrained</source>
        <translation>kein Modell: Laden… oder Vortrainiert</translation>
    </message>
    <message numerus="yes">
        <location filename="../window/app.py" line="433"/>
        <source>Paused after %n batch(es) · Step: one more · space: resume</source>
        <translation>
            <numerusform>Pause nach %n Stapel · Schritt: noch einer · Leertaste: weiter</numerusform>
            <numerusform>Pause nach %n Stapeln · Schritt: noch einer · Leertaste: weiter</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../window/files.py" line="121"/>
        <source>Clear the runs and the class set for the next class?</source>
        <translation>Läufe und Klassensatz für die nächste Gruppe leeren?</translation>
    </message>
    <message numerus="yes">
        <location filename="../window/files.py" line="123"/>
        <source>%n run(s) leave the runs table and the loss plot.</source>
        <translation>
            <numerusform>%n Lauf verlässt die Lauftabelle und das Verlustdiagramm.</numerusform>
            <numerusform>%n Läufe verlassen die Lauftabelle und das Verlustdiagramm.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../window/files.py" line="124"/>
        <source>%n drawing(s) leave the class set.</source>
        <translation>
            <numerusform>%n Zeichnung verlässt den Klassensatz.</numerusform>
            <numerusform>%n Zeichnungen verlassen den Klassensatz.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../window/files.py" line="126"/>
        <source>Nothing is deleted: the stored runs and the drawings move to
{folder}</source>
        <translation>Nichts wird gelöscht: Die gespeicherten Läufe und die Zeichnungen kommen nach
{folder}</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="137"/>
        <source>Not reset: a run is training; stop it first</source>
        <translation>Nicht zurückgesetzt: Ein Lauf trainiert gerade; erst stoppen</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="148"/>
        <source>Reset for class</source>
        <translation>Für die nächste Gruppe zurücksetzen</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="160"/>
        <source>Not reset: {problem}</source>
        <translation>Nicht zurückgesetzt: {problem}</translation>
    </message>
    <message>
        <location filename="../window/files.py" line="165"/>
        <source>Reset for class: runs and class set moved to {folder}</source>
        <translation>Zurückgesetzt: Läufe und Klassensatz liegen jetzt in {folder}</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="134"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="136"/>
        <source>&amp;Keyboard shortcuts…</source>
        <translation>&amp;Tastenkürzel…</translation>
    </message>
    <message>
        <location filename="../window/race.py" line="24"/>
        <source>R&amp;ace</source>
        <translation>&amp;Rennen</translation>
    </message>
    <message>
        <location filename="../window/menus.py" line="49"/>
        <source>Panel alone (the one under the mouse; Esc: back)</source>
        <translation>Bereich allein (der unter der Maus; Esc: zurück)</translation>
    </message>
</context>
<context>
    <name>PanelArea</name>
    <message>
        <location filename="../panels/shift.py" line="40"/>
        <source>Nearest digits</source>
        <translation>Nächste Nachbarn</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="38"/>
        <source>Teach</source>
        <translation>Lehren</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="26"/>
        <source>Race</source>
        <translation>Rennen</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="136"/>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="136"/>
        <source>Filters</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="136"/>
        <source>Feature maps</source>
        <translation>Merkmalskarten</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="150"/>
        <source>Evaluation</source>
        <translation>Auswertung</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="151"/>
        <source>Saliency</source>
        <translation>Salienz</translation>
    </message>
    <message>
        <location filename="../panels/convolution.py" line="37"/>
        <source>Convolution</source>
        <translation>Faltung</translation>
    </message>
    <message>
        <location filename="../panels/wishes.py" line="24"/>
        <source>What filters want</source>
        <translation>Wunschbilder</translation>
    </message>
    <message>
        <location filename="../window/app.py" line="160"/>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="38"/>
        <source>Batch sizes</source>
        <translation>Stapelgrößen</translation>
    </message>
    <message>
        <location filename="../panels/adversarial.py" line="26"/>
        <source>Adversarial</source>
        <translation>Täuschung</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="23"/>
        <source>Top 9 digits</source>
        <translation>Top 9</translation>
    </message>
    <message>
        <location filename="../panels/diagnostics.py" line="21"/>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <location filename="../panels/embedding.py" line="20"/>
        <source>Embedding</source>
        <translation>Einbettung</translation>
    </message>
</context>
<context>
    <name>Prediction</name>
    <message>
        <location filename="../panels/prediction.py" line="73"/>
        <source>{value} sure</source>
        <translation>{value} sicher</translation>
    </message>
    <message>
        <location filename="../panels/prediction.py" line="208"/>
        <source>the network sees
({size})</source>
        <translation>das Netz sieht
({size})</translation>
    </message>
    <message>
        <location filename="../panels/prediction.py" line="211"/>
        <source>prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <location filename="../panels/prediction.py" line="419"/>
        <source>probability</source>
        <translation>Wahrsch.</translation>
    </message>
</context>
<context>
    <name>Race</name>
    <message>
        <location filename="../panels/race.py" line="88"/>
        <source>Race two runs</source>
        <translation>Zwei Läufe im Wettrennen</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="89"/>
        <source>This configuration</source>
        <translation>Diese Konfiguration</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="90"/>
        <source>Against</source>
        <translation>Gegen</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="91"/>
        <source>Network</source>
        <translation>Netz</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="91"/>
        <source>Batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="91"/>
        <source>Optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="91"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="99"/>
        <source>Both runs train in one thread, a batch of one, then a batch of the other, with numpy batching and the same seed: they see the same images in the same order.</source>
        <translation>Beide Läufe trainieren in einem Thread, abwechselnd ein Stapel des einen und einer des anderen, mit NumPy-Stapeln und demselben Startwert: Sie sehen dieselben Bilder in derselben Reihenfolge.</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="102"/>
        <source>Start race</source>
        <translation>Rennen starten</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="103"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="223"/>
        <source>No race yet: Race two runs… in the Race menu</source>
        <translation>Noch kein Rennen: „Zwei Läufe im Wettrennen…“ im Menü Rennen</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="229"/>
        <source>{speed} images/s</source>
        <translation>{speed} Bilder/s</translation>
    </message>
    <message>
        <location filename="../window/race.py" line="58"/>
        <source>The race starts once MNIST is loaded: choose Race two runs… again</source>
        <translation>Das Rennen startet, sobald MNIST geladen ist: „Zwei Läufe im Wettrennen…“ erneut wählen</translation>
    </message>
    <message>
        <location filename="../window/race.py" line="125"/>
        <source>Race: {a} and {b} images/s, each on its own training time; {total} images/s together</source>
        <translation>Rennen: {a} und {b} Bilder/s, jeweils über die eigene Trainingszeit; zusammen {total} Bilder/s</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="185"/>
        <source>Time to</source>
        <translation>Zeit bis</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="186"/>
        <source>The test accuracy the race summary times each run to</source>
        <translation>Die Testgenauigkeit, bis zu der die Zusammenfassung jeden Lauf stoppt</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="195"/>
        <source>no test accuracy yet</source>
        <translation>noch keine Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="197"/>
        <source>final accuracy {accuracy}</source>
        <translation>Endgenauigkeit {accuracy}</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="199"/>
        <source>accuracy so far {accuracy}</source>
        <translation>Genauigkeit bisher {accuracy}</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="201"/>
        <source>{target} not reached</source>
        <translation>{target} nicht erreicht</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="203"/>
        <source>{target} after epoch {epoch}: {seconds} s of its own training</source>
        <translation>{target} nach Epoche {epoch}: {seconds} s eigene Trainingszeit</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="208"/>
        <source>No winner yet</source>
        <translation>Noch kein Sieger</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="208"/>
        <source>A tie</source>
        <translation>Unentschieden</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="213"/>
        <source>Winner: {run}, first to {target}</source>
        <translation>Sieger: {run}, als Erstes bei {target}</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="215"/>
        <source>Winner: {run}, the higher accuracy</source>
        <translation>Sieger: {run}, die höhere Genauigkeit</translation>
    </message>
    <message>
        <location filename="../panels/race.py" line="217"/>
        <source>{verdict} (so far)</source>
        <translation>{verdict} (bisher)</translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message>
        <location filename="../jobs/replay.py" line="67"/>
        <source>Replay: the filters follow the recording; the pad uses the run&apos;s final weights.</source>
        <translation>Wiedergabe: Die Filter folgen der Aufzeichnung; die Zeichenfläche nutzt die Gewichte vom Ende des Trainings.</translation>
    </message>
    <message>
        <location filename="../jobs/replay.py" line="70"/>
        <source>Replay: the filters follow the recording; the pad keeps the model in use.</source>
        <translation>Wiedergabe: Die Filter folgen der Aufzeichnung; die Zeichenfläche behält das aktuelle Modell.</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="46"/>
        <source>GIF saved: {path}</source>
        <translation>GIF gespeichert: {path}</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="61"/>
        <source>&amp;Recorded runs</source>
        <translation>Auf&amp;zeichnungen</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="64"/>
        <source>Open recorded run…</source>
        <translation>Aufgezeichnetes Training öffnen…</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="67"/>
        <source>Shipped recordings</source>
        <translation>Mitgelieferte Aufzeichnungen</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="72"/>
        <source>Replay speed</source>
        <translation>Wiedergabetempo</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="101"/>
        <source>none in assets/runs</source>
        <translation>keine in assets/runs</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="106"/>
        <source>Open a recorded run</source>
        <translation>Ein aufgezeichnetes Training öffnen</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="106"/>
        <source>Recorded runs (*{suffix})</source>
        <translation>Aufgezeichnete Trainings (*{suffix})</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="118"/>
        <source>Cannot replay: {problem}</source>
        <translation>Wiedergabe nicht möglich: {problem}</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="131"/>
        <source>Cannot replay while a run is training: stop it first.</source>
        <translation>Während eines Trainings ist keine Wiedergabe möglich: erst anhalten.</translation>
    </message>
    <message>
        <location filename="../jobs/replay.py" line="69"/>
        <source>Replay: the filters follow the recording; the pad uses the pretrained model (no weights recorded).</source>
        <translation>Wiedergabe: Die Filter folgen der Aufzeichnung; die Zeichenfläche nutzt das vortrainierte Modell (keine Gewichte aufgezeichnet).</translation>
    </message>
    <message numerus="yes">
        <location filename="../jobs/replay.py" line="175"/>
        <source>{arch}: %n epoch(s), test accuracy {accuracy}</source>
        <translation>
            <numerusform>{arch}: %n Epoche, Testgenauigkeit {accuracy}</numerusform>
            <numerusform>{arch}: %n Epochen, Testgenauigkeit {accuracy}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="84"/>
        <source>Reset for class…</source>
        <translation>Für die nächste Gruppe zurücksetzen…</translation>
    </message>
    <message>
        <location filename="../window/replay.py" line="85"/>
        <source>Clear the runs and the class set for the next class (nothing is deleted)</source>
        <translation>Läufe und Klassensatz für die nächste Gruppe leeren (nichts wird gelöscht)</translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message>
        <location filename="../panels/runs.py" line="257"/>
        <source>run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="258"/>
        <source>architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="259"/>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="261"/>
        <source>batching</source>
        <translation>Stapelbildung</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="262"/>
        <source>batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="263"/>
        <source>optimizer</source>
        <translation>Optimierer</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="264"/>
        <source>learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="265"/>
        <source>images/s</source>
        <translation>Bilder/s</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="266"/>
        <source>s/epoch</source>
        <translation>s/Epoche</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="256"/>
        <source>best test accuracy</source>
        <translation>beste Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="267"/>
        <source>memory (batch)</source>
        <translation>Speicher (Stapel)</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="296"/>
        <source>Delete run</source>
        <translation>Lauf löschen</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="297"/>
        <source>Deletes the saved run&apos;s file at once (Delete key); there is no undo</source>
        <translation>Löscht die Datei des gespeicherten Laufs sofort (Entf-Taste); rückgängig machen geht nicht</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="313"/>
        <source>Click a run: its final weights go into the pad.</source>
        <translation>Klick auf einen Lauf: seine letzten Gewichte kommen in die Zeichenfläche.</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="430"/>
        <source>{run} (training)</source>
        <translation>{run} (trainiert)</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="260"/>
        <source>training images</source>
        <translation>Trainingsbilder</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="295"/>
        <source>Right-click to choose the columns shown</source>
        <translation>Rechtsklick: die angezeigten Spalten wählen</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="305"/>
        <source>This saved run cannot be read ({reason}); Delete removes its file.</source>
        <translation>Dieser gespeicherte Lauf ist nicht lesbar ({reason}); „Lauf löschen“ entfernt seine Datei.</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="311"/>
        <source>Reading the saved runs: {done} of {total}…</source>
        <translation>Die gespeicherten Läufe werden gelesen: {done} von {total} …</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="435"/>
        <source>{run}: cannot read</source>
        <translation>{run}: nicht lesbar</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="438"/>
        <source>{run} (stopped)</source>
        <translation>{run} (abgebrochen)</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="439"/>
        <source>Stopped before its last epoch</source>
        <translation>Vor seiner letzten Epoche abgebrochen</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="441"/>
        <source>{run} (failed)</source>
        <translation>{run} (fehlgeschlagen)</translation>
    </message>
    <message>
        <location filename="../panels/runs.py" line="442"/>
        <source>The run failed</source>
        <translation>Der Lauf ist fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>Saliency</name>
    <message>
        <location filename="../panels/saliency.py" line="277"/>
        <source>Explain the digit on the drawing pad, live as you draw, instead of a test image</source>
        <translation>Die Ziffer der Zeichenfläche erklären, schon während des Zeichnens, statt eines Testbilds</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="36"/>
        <source>Gradient</source>
        <translation>Gradienten</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="48"/>
        <source>Gradient where there is ink: red strokes speak for {cls}, blue against.</source>
        <translation>Gradienten, wo Tinte ist: rote Striche sprechen für {cls}, blaue dagegen.</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="37"/>
        <source>Gradient × input</source>
        <translation>Gradienten × Eingabe</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="264"/>
        <source>Hide one part of the digit at a time and watch the probability drop</source>
        <translation>Jeweils einen Teil der Ziffer verdecken und zusehen, wie die Wahrscheinlichkeit sinkt</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="35"/>
        <source>Occlusion</source>
        <translation>Verdecken</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="42"/>
        <source>Red: hiding this part lowers the probability of {cls}; blue: raises it.</source>
        <translation>Rot: diesen Teil zu verdecken senkt die Wahrscheinlichkeit von {cls}; blau: hebt sie.</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="238"/>
        <source>Save the pictures as PNG or SVG for slides (or right-click them)</source>
        <translation>Die Bilder als PNG oder SVG für Folien speichern (oder Rechtsklick darauf)</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="275"/>
        <source>The class whose evidence is shown</source>
        <translation>Die Klasse, deren Belege gezeigt werden</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="267"/>
        <source>The gradient of the class&apos;s score (its logit) with respect to each pixel</source>
        <translation>Die Ableitung des Klassenwerts (des Logits) nach jedem Bildpunkt</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="270"/>
        <source>The gradient times the pixel&apos;s value: only where there is ink</source>
        <translation>Gradienten mal Bildpunktwert: nur wo Tinte ist</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="45"/>
        <source>The score of {cls} per pixel. Red: more ink here raises it; blue: lowers it.</source>
        <translation>Der Klassenwert von {cls} je Bildpunkt abgeleitet. Rot: mehr Tinte hier hebt ihn; blau: senkt ihn.</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="261"/>
        <source>Where the network looks</source>
        <translation>Wohin das Netz schaut</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="273"/>
        <source>class:</source>
        <translation>Klasse:</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="417"/>
        <source>explains class {cls} (p = {p})</source>
        <translation>erklärt Klasse {cls} (p = {p})</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="380"/>
        <source>over the digit</source>
        <translation>über der Ziffer</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="380"/>
        <source>saliency map</source>
        <translation>Salienzkarte</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="276"/>
        <source>use drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="274"/>
        <source>predicted</source>
        <translation>vorhergesagte</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="38"/>
        <source>Integrated Gradients</source>
        <translation>Integrierte Gradienten</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="39"/>
        <source>SmoothGrad</source>
        <translation>SmoothGrad</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="51"/>
        <source>Each pixel&apos;s share of the score of {cls} on the way from a black image; they add up to it.</source>
        <translation>Der Anteil jedes Pixels am Wert von {cls} auf dem Weg von einem schwarzen Bild; zusammen ergeben sie ihn.</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="54"/>
        <source>The gradient averaged over 25 noisy copies of the digit: less speckle, same meaning for {cls}.</source>
        <translation>Der Gradient, gemittelt über 25 verrauschte Kopien der Ziffer: weniger Sprenkel, gleiche Bedeutung für {cls}.</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="280"/>
        <source>Sundararajan et al. 2017: the gradient along the path from black, times the change</source>
        <translation>Sundararajan und andere 2017: die Gradienten entlang des Wegs von Schwarz, gemittelt, mal der Änderung</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="283"/>
        <source>Smilkov et al. 2017: the mean gradient over copies with Gaussian noise (0.15 of the ink&apos;s range)</source>
        <translation>Smilkov und andere 2017: der Mittelwert der Gradienten über Kopien mit gaußschem Rauschen (0,15 des Tintenbereichs)</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="285"/>
        <source>Sanity check</source>
        <translation>Gegenprobe</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="286"/>
        <source>Adebayo et al. 2018: a map that explains the network changes when its weights are randomised</source>
        <translation>Adebayo und andere 2018: Eine Karte, die das Netz erklärt, ändert sich, wenn seine Gewichte zufällig neu gesetzt werden</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="378"/>
        <source>trained network</source>
        <translation>trainiert</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="378"/>
        <source>random weights</source>
        <translation>Zufallsgewichte</translation>
    </message>
    <message>
        <location filename="../panels/saliency.py" line="392"/>
        <source>Random weights: rank correlation ρ = {rho} (ink: {ink}). Near 1: the map shows the digit, not what the network learned.</source>
        <translation>Zufallsgewichte: Rangkorrelation ρ = {rho} (Tinte: {ink}). Nahe 1: Die Karte zeigt die Ziffer, nicht das Gelernte.</translation>
    </message>
    <message>
        <location filename="../window/lab.py" line="183"/>
        <source>Choose a digit (feature maps) or draw one.</source>
        <translation>Eine Ziffer wählen (Merkmalskarten) oder eine zeichnen.</translation>
    </message>
    <message>
        <location filename="../window/lab.py" line="189"/>
        <source>randomising the weights …</source>
        <translation>Gewichte werden zufällig neu gesetzt …</translation>
    </message>
</context>
<context>
    <name>Shift</name>
    <message>
        <location filename="../panels/shift.py" line="333"/>
        <source>nearest in MNIST: label</source>
        <translation>nächste in MNIST: Klasse</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="326"/>
        <source>drawing</source>
        <translation>Zeichnung</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="46"/>
        <source>Nearest MNIST digits labelled {cls}: none of {k}. The network has hardly seen {cls}s like this.</source>
        <translation>Nächste MNIST-Ziffern mit Klasse {cls}: keine von {k}. So eine {cls} hat das Netz kaum je gesehen.</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="49"/>
        <source>Nearest MNIST digits labelled {cls}: only {n} of {k}. MNIST has few {cls}s like this.</source>
        <translation>Nächste MNIST-Ziffern mit Klasse {cls}: nur {n} von {k}. MNIST kennt kaum eine {cls}, die so aussieht.</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="52"/>
        <source>Nearest MNIST digits labelled {cls}: {n} of {k}. The network has seen {cls}s like this.</source>
        <translation>Nächste MNIST-Ziffern mit Klasse {cls}: {n} von {k}. Solche {cls} hat das Netz gesehen.</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="279"/>
        <source>predicted</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <location filename="../window/shift.py" line="113"/>
        <source>test image {index}, label {label}</source>
        <translation>Testbild {index}, Klasse {label}</translation>
    </message>
    <message>
        <location filename="../window/shift.py" line="150"/>
        <source>the drawing</source>
        <translation>die Zeichnung</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="211"/>
        <source>class:</source>
        <translation>Klasse:</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="212"/>
        <source>Compare with this class: its nearest training digits and its average digit</source>
        <translation>Mit dieser Klasse vergleichen: ihre nächsten Trainingsziffern und ihre mittlere Ziffer</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="215"/>
        <source>difference</source>
        <translation>Differenz</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="216"/>
        <source>Drawing minus average. Red: ink the average lacks; blue: average ink the drawing lacks</source>
        <translation>Zeichnung − Mittel. Rot: Tinte, die dem Mittel fehlt; blau: Tinte des Mittels, die der Zeichnung fehlt</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="219"/>
        <source>Distance: how different two 28×28 pictures are, pixel by pixel (0: the same)</source>
        <translation>Abstand: wie verschieden zwei 28×28-Bilder Bildpunkt für Bildpunkt sind (0: gleich)</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="281"/>
        <source>predicted ({cls})</source>
        <translation>Vorhersage ({cls})</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="317"/>
        <source>the network sees</source>
        <translation>das Netz sieht</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="318"/>
        <source>nearest in MNIST</source>
        <translation>nächste in MNIST</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="319"/>
        <source>average digit</source>
        <translation>mittlere Ziffer</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="320"/>
        <source>nearest of the class</source>
        <translation>nächste der Klasse</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="324"/>
        <source>average {cls}</source>
        <translation>Mittel der {cls}</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="333"/>
        <source>nearest in MNIST: label, distance</source>
        <translation>nächste in MNIST: Klasse, Abstand</translation>
    </message>
    <message>
        <location filename="../panels/shift.py" line="339"/>
        <source>nearest {cls}s of the {count} in MNIST</source>
        <translation>nächste {cls} unter den {count} in MNIST</translation>
    </message>
    <message>
        <location filename="../window/shift.py" line="138"/>
        <source>Waiting for MNIST…</source>
        <translation>Warte auf MNIST…</translation>
    </message>
    <message>
        <location filename="../window/shift.py" line="156"/>
        <source>Draw a digit on the pad: here it appears beside the MNIST digits nearest to it.</source>
        <translation>Eine Ziffer auf die Zeichenfläche zeichnen: hier erscheint sie neben den MNIST-Ziffern, die ihr am nächsten sind.</translation>
    </message>
    <message>
        <location filename="../window/shift.py" line="192"/>
        <source>No nearest digits: {message}</source>
        <translation>Keine nächsten Ziffern: {message}</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../common/text.py" line="64"/>
        <source>{arch} taught the class's digits · {accuracy} test accuracy</source>
        <translation>{arch}, mit den Ziffern der Klasse nachtrainiert · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="27"/>
        <source>loading TensorFlow…</source>
        <translation>TensorFlow wird geladen…</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="61"/>
        <source>pretrained {arch}</source>
        <translation>{arch}, vortrainiert</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="62"/>
        <source>pretrained {arch} · {accuracy} test accuracy</source>
        <translation>{arch}, vortrainiert · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="68"/>
        <source>untrained {arch}: random weights</source>
        <translation>{arch}, untrainiert: zufällige Gewichte</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="76"/>
        <source>{arch} in training · {images} images so far</source>
        <translation>{arch} im Training · bisher {images} Bilder</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="80"/>
        <source>{arch} trained on {images} images</source>
        <translation>{arch}, trainiert mit {images} Bildern</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="81"/>
        <source>trained {arch} · {accuracy} test accuracy</source>
        <translation>{arch}, trainiert · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="86"/>
        <source>{arch} from {source}</source>
        <translation>{arch} aus {source}</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="87"/>
        <source>{arch} from {source} · {accuracy} test accuracy</source>
        <translation>{arch} aus {source} · {accuracy} Testgenauigkeit</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="94"/>
        <source>Training {arch} on {images} images with {batching} batching, batch size {size}, {optimizer} lr {lr}</source>
        <translation>Training von {arch} mit {images} Bildern, Stapelbildung {batching}, Stapelgröße {size}, {optimizer}, Lernrate {lr}</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="103"/>
        <source>epoch {epoch}/{epochs} · {speed} images/s · {left} left</source>
        <translation>Epoche {epoch}/{epochs} · {speed} Bilder/s · noch {left}</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="116"/>
        <source>Training finished</source>
        <translation>Training beendet</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="121"/>
        <source>Training failed</source>
        <translation>Training fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="123"/>
        <source>{how}: test accuracy {accuracy}</source>
        <translation>{how}: Testgenauigkeit {accuracy}</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="127"/>
        <source>{how}: nothing trained, the previous model is kept</source>
        <translation>{how}: nichts trainiert, das bisherige Modell bleibt</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="72"/>
        <source>replay of {arch} · {images} images so far</source>
        <translation>Wiedergabe von {arch} · bisher {images} Bilder</translation>
    </message>
    <message>
        <location filename="../common/text.py" line="73"/>
        <source>replay of {arch} · trained on {images} images</source>
        <translation>Wiedergabe von {arch} · auf {images} Bildern trainiert</translation>
    </message>
    <message numerus="yes">
        <location filename="../common/text.py" line="119"/>
        <source>Training stopped after %n batch(es)</source>
        <translation>
            <numerusform>Training nach %n Stapel gestoppt</numerusform>
            <numerusform>Training nach %n Stapeln gestoppt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SweepPanel</name>
    <message>
        <location filename="../panels/sweep.py" line="365"/>
        <source>knee</source>
        <translation>Knick</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="378"/>
        <source>prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="380"/>
        <source>fits into the free memory</source>
        <translation>passt in den freien Speicher</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="382"/>
        <source>does not fit</source>
        <translation>passt nicht</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="389"/>
        <source>Gradient noise: measured after a warm-up and at the end.</source>
        <translation>Gradientenrauschen: gemessen nach einer Aufwärmphase und am Ende.</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="395"/>
        <source>after {steps} steps</source>
        <translation>nach {steps} Schritten</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="397"/>
        <source>Cosine: how well one mini-batch gradient points where the gradient of 10,000 images points; close to 1, a bigger batch adds little.</source>
        <translation>Kosinus: wie gut der Gradient eines Mini-Batches dorthin zeigt, wohin der Gradient von 10.000 Bildern zeigt; nahe 1 bringt ein größerer Stapel wenig.</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="398"/>
        <source>B_simple (McCandlish et al. 2018): below it, doubling B nearly halves the steps; far above it, bigger batches mostly cost memory. Their MNIST value is about 20; it grows as training goes on.</source>
        <translation>B_simple (McCandlish et al. 2018): darunter halbiert ein doppelt so großes B fast die Schritte; weit darüber kosten größere Stapel vor allem Speicher. Ihr MNIST-Wert liegt bei etwa 20; er wächst im Lauf des Trainings.</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Network</source>
        <translation>Netz</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Batch sizes</source>
        <translation>Stapelgrößen</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Learning rate policy</source>
        <translation>Lernraten-Regel</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Target accuracy</source>
        <translation>Ziel-Genauigkeit</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Images per run</source>
        <translation>Bilder pro Lauf</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Batching</source>
        <translation>Stapelbildung</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>Learning rate (for B=64)</source>
        <translation>Lernrate (für B=64)</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="402"/>
        <source>x axis:</source>
        <translation>x-Achse:</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="414"/>
        <source>fixed</source>
        <translation>fest</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="414"/>
        <source>linear in B</source>
        <translation>linear in B</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="414"/>
        <source>square root of B</source>
        <translation>Wurzel aus B</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="421"/>
        <source>steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="421"/>
        <source>images seen</source>
        <translation>gesehene Bilder</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="421"/>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="428"/>
        <source>Start sweep</source>
        <translation>Vergleich starten</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="429"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="430"/>
        <source>Apply learning rate</source>
        <translation>Lernrate übernehmen</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>lr</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>images/s</source>
        <translation>Bilder/s</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>memory predicted</source>
        <translation>Speicher vorhergesagt</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>measured</source>
        <translation>gemessen</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>steps to target</source>
        <translation>Schritte bis zum Ziel</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>images to target</source>
        <translation>Bilder bis zum Ziel</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>seconds to target</source>
        <translation>Sekunden bis zum Ziel</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="431"/>
        <source>cosine</source>
        <translation>Kosinus</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="444"/>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="445"/>
        <source>batch size (log)</source>
        <translation>Stapelgröße (logarithmisch)</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="446"/>
        <source>steps to target (log)</source>
        <translation>Schritte bis zum Ziel (logarithmisch)</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="446"/>
        <source>images to target (log)</source>
        <translation>Bilder bis zum Ziel (logarithmisch)</translation>
    </message>
    <message>
        <location filename="../panels/sweep.py" line="446"/>
        <source>seconds to target (log)</source>
        <translation>Sekunden bis zum Ziel (logarithmisch)</translation>
    </message>
</context>
<context>
    <name>Sweeper</name>
    <message>
        <location filename="../window/sweep.py" line="51"/>
        <source>A run is going on: stop it first</source>
        <translation>Ein Lauf ist im Gange: erst anhalten</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="56"/>
        <source>Waiting for MNIST to load… then press Start again</source>
        <translation>MNIST wird geladen… danach erneut starten</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="67"/>
        <source>Measuring one step's memory per batch size, then training…</source>
        <translation>Der Speicher eines Schritts wird je Stapelgröße gemessen, dann wird trainiert…</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="87"/>
        <source>Nothing is training: the learning rate applies to the next run&apos;s settings</source>
        <translation>Es läuft kein Training: die Lernrate gilt erst für die Einstellungen des nächsten Laufs</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="89"/>
        <source>Learning rate {rate} from the next batch on</source>
        <translation>Lernrate {rate} ab dem nächsten Stapel</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="94"/>
        <source>Change learning rate</source>
        <translation>Lernrate ändern</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="95"/>
        <source>New learning rate (from the next batch on):</source>
        <translation>Neue Lernrate (ab dem nächsten Stapel):</translation>
    </message>
    <message>
        <location filename="../window/sweep.py" line="108"/>
        <source>Sweep finished</source>
        <translation>Vergleich beendet</translation>
    </message>
</context>
<context>
    <name>Teach</name>
    <message>
        <location filename="../panels/teach.py" line="536"/>
        <source>{file}: read as {before} before teaching, {after} after</source>
        <translation>{file}: vor dem Lehren als {before} gelesen, danach als {after}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="540"/>
        <source>{reading} (held back: not taught)</source>
        <translation>{reading} (zurückgehalten: nicht gelehrt)</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="359"/>
        <source>Added as a {digit}: {file}</source>
        <translation>Als {digit} hinzugefügt: {file}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="218"/>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="218"/>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="213"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="206"/>
        <source>Change label</source>
        <translation>Beschriftung ändern</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="220"/>
        <source>Class set</source>
        <translation>Klassensatz</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="401"/>
        <source>Clear the class set</source>
        <translation>Klassensatz leeren</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="211"/>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="207"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="87"/>
        <source>Draw a digit on the pad first.</source>
        <translation>Zuerst eine Ziffer auf die Zeichenfläche zeichnen.</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="427"/>
        <source>Export the class set to an empty folder</source>
        <translation>Klassensatz in einen leeren Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="435"/>
        <source>Exported to {folder}</source>
        <translation>Exportiert nach {folder}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="209"/>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="215"/>
        <source>Fine-tune the pad&apos;s network on MNIST mixed with the class set</source>
        <translation>Das Netz der Zeichenfläche auf MNIST gemischt mit dem Klassensatz nachtrainieren</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="422"/>
        <source>Folder of the class set</source>
        <translation>Ordner des Klassensatzes</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="208"/>
        <source>Folder…</source>
        <translation>Ordner…</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="219"/>
        <source>Held back</source>
        <translation>Zurückgehalten</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="210"/>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="122"/>
        <source>Loading the class set…</source>
        <translation>Klassensatz wird geladen…</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="220"/>
        <source>MNIST test</source>
        <translation>MNIST-Testdaten</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="499"/>
        <source>Measuring the network after teaching…</source>
        <translation>Netz wird nach dem Lehren gemessen…</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="491"/>
        <source>Measuring the network before teaching…</source>
        <translation>Netz wird vor dem Lehren gemessen…</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="86"/>
        <source>Misread? Click the right digit to add the drawing to the class set.</source>
        <translation>Falsch gelesen? Die richtige Ziffer anklicken, um die Zeichnung dem Klassensatz hinzuzufügen.</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="356"/>
        <source>Not added: {message}</source>
        <translation>Nicht hinzugefügt: {message}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="411"/>
        <source>Not cleared: {message}</source>
        <translation>Nicht geleert: {message}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="391"/>
        <source>Not deleted: {message}</source>
        <translation>Nicht gelöscht: {message}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="433"/>
        <source>Not exported: {message}</source>
        <translation>Nicht exportiert: {message}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="453"/>
        <source>Not imported: {message}</source>
        <translation>Nicht importiert: {message}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="212"/>
        <source>Teach</source>
        <translation>Lehren</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="158"/>
        <source>Teaching cancelled: the network is unchanged.</source>
        <translation>Lehren abgebrochen: das Netz ist unverändert.</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="162"/>
        <source>Teaching failed: {message}</source>
        <translation>Lehren fehlgeschlagen: {message}</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="106"/>
        <source>Teaching needs MNIST: it is still loading.</source>
        <translation>Zum Lehren wird MNIST gebraucht: es wird noch geladen.</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="102"/>
        <source>Teaching needs a network: load or train one first.</source>
        <translation>Zum Lehren wird ein Netz gebraucht: zuerst eines laden oder trainieren.</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="104"/>
        <source>Teaching waits until the training run has ended.</source>
        <translation>Das Lehren wartet, bis der Trainingslauf beendet ist.</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="494"/>
        <source>Teaching: step {step} of {steps}</source>
        <translation>Lehren: Schritt {step} von {steps}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="283"/>
        <source>The class set cannot be read: {message}</source>
        <translation>Der Klassensatz lässt sich nicht lesen: {message}</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="108"/>
        <source>The class set is empty: add misread drawings with the digit buttons.</source>
        <translation>Der Klassensatz ist leer: falsch gelesene Zeichnungen mit den Zifferntasten hinzufügen.</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="377"/>
        <source>The label was not changed: {message}</source>
        <translation>Die Beschriftung wurde nicht geändert: {message}</translation>
    </message>
    <message>
        <location filename="../window/teach.py" line="137"/>
        <source>The network changed while teaching: the result was dropped.</source>
        <translation>Das Netz hat sich während des Lehrens geändert: das Ergebnis wurde verworfen.</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="200"/>
        <source>This drawing is a:</source>
        <translation>Diese Zeichnung ist eine:</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="214"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="553"/>
        <source>Undone: the pad uses the network from before teaching.</source>
        <translation>Rückgängig gemacht: die Zeichenfläche nutzt wieder das Netz von vor dem Lehren.</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="311"/>
        <source>{file}: no picture ({reason})</source>
        <translation>{file}: kein Bild ({reason})</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="322"/>
        <source>Loading the thumbnails: {done} of {total}</source>
        <translation>Die Vorschaubilder werden geladen: {done} von {total}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="485"/>
        <source>Loading the class set: {done} of {total} drawings…</source>
        <translation>Der Klassensatz wird geladen: {done} von {total} Zeichnungen …</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="240"/>
        <source>Class set: %n drawing(s) in {folder}</source>
        <translation>
            <numerusform>Klassensatz: %n Zeichnung in {folder}</numerusform>
            <numerusform>Klassensatz: %n Zeichnungen in {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="380"/>
        <source>%n drawing(s) now labelled {digit}</source>
        <translation>
            <numerusform>%n Zeichnung ist jetzt als {digit} beschriftet</numerusform>
            <numerusform>%n Zeichnungen sind jetzt als {digit} beschriftet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="414"/>
        <source>%n drawing(s) deleted</source>
        <translation>
            <numerusform>%n Zeichnung gelöscht</numerusform>
            <numerusform>%n Zeichnungen gelöscht</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="401"/>
        <source>Delete all %n drawing(s) of the class set?</source>
        <translation>
            <numerusform>Die einzige Zeichnung des Klassensatzes löschen?</numerusform>
            <numerusform>Alle %n Zeichnungen des Klassensatzes löschen?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="517"/>
        <source>Taught on %n drawing(s) in {seconds} s: {fixed} now read right, {broken} now wrong</source>
        <translation>
            <numerusform>Mit %n Zeichnung in {seconds} s gelehrt: {fixed} jetzt richtig gelesen, {broken} jetzt falsch</numerusform>
            <numerusform>Mit %n Zeichnungen in {seconds} s gelehrt: {fixed} jetzt richtig gelesen, {broken} jetzt falsch</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="49"/>
        <source>{percent} % ({correct}/{total})
95 %: {low}–{high} %</source>
        <translation>{percent} % ({correct}/{total})
95 %: {low}–{high} %</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="61"/>
        <source>too few held back to say ({count})</source>
        <translation>zu wenige zurückgehalten für eine Aussage ({count})</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="201"/>
        <source>Writer:</source>
        <translation>Schreiber:</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="202"/>
        <source>name or number of who draws</source>
        <translation>Name oder Nummer, wer zeichnet</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="203"/>
        <source>Saved with each drawing: Teach then scores on writers it was not taught</source>
        <translation>Wird mit jeder Zeichnung gespeichert: Lehren misst dann an Schreibern, die es nicht gelernt hat</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="219"/>
        <source>Other writers</source>
        <translation>Andere Schreiber</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="291"/>
        <source>{file}, drawn by {writer}</source>
        <translation>{file}, gezeichnet von {writer}</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="441"/>
        <source>Import class sets: one student&apos;s folder, or a folder of them</source>
        <translation>Klassensätze importieren: der Ordner eines Schülers oder ein Ordner mit mehreren</translation>
    </message>
    <message>
        <location filename="../panels/teach.py" line="452"/>
        <source>no drawings</source>
        <translation>keine Zeichnungen</translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="458"/>
        <source>%n drawing(s) imported; writers: {writers}; left out: {skipped}, e.g. {message}</source>
        <translation>
            <numerusform>%n Zeichnung importiert; Schreibende: {writers}; ausgelassen: {skipped}, z. B. {message}</numerusform>
            <numerusform>%n Zeichnungen importiert; Schreibende: {writers}; ausgelassen: {skipped}, z. B. {message}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../panels/teach.py" line="462"/>
        <source>%n drawing(s) imported; writers: {writers}</source>
        <translation>
            <numerusform>%n Zeichnung importiert; Schreibende: {writers}</numerusform>
            <numerusform>%n Zeichnungen importiert; Schreibende: {writers}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../panels/timeline.py" line="415"/>
        <source>The probe digit&apos;s first-layer feature maps at that moment</source>
        <translation>Die Merkmalskarten der ersten Schicht für die Probeziffer zu diesem Zeitpunkt</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="425"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="296"/>
        <source>Save the filter animation</source>
        <translation>Filter-Animation speichern</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="296"/>
        <source>GIF animation (*.gif)</source>
        <translation>GIF-Animation (*.gif)</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="307"/>
        <source>There are no snapshots to animate yet.</source>
        <translation>Es gibt noch keine Momentaufnahmen zum Animieren.</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="327"/>
        <source>Could not save the GIF: {problem}</source>
        <translation>Das GIF konnte nicht gespeichert werden: {problem}</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="412"/>
        <source>Save GIF…</source>
        <translation>GIF speichern…</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="413"/>
        <source>Save the filters&apos; timeline as an animated GIF</source>
        <translation>Den Verlauf der Filter als animiertes GIF speichern</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="414"/>
        <source>Drag to see the filters at any moment of the run</source>
        <translation>Ziehen: die Filter zu jedem Zeitpunkt des Trainings</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="425"/>
        <source>Play</source>
        <translation>Abspielen</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="426"/>
        <source>Animate the filters from the first snapshot to the last</source>
        <translation>Die Filter von der ersten bis zur letzten Momentaufnahme abspielen</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="431"/>
        <source>no snapshots yet</source>
        <translation>noch keine Momentaufnahmen</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="433"/>
        <source>step {step} · snapshot {index} of {count}</source>
        <translation>Schritt {step} · Momentaufnahme {index} von {count}</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="440"/>
        <source>probe: {digit} ({percent})</source>
        <translation>Testziffer: {digit} ({percent})</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="442"/>
        <source>(is {label})</source>
        <translation>(ist {label})</translation>
    </message>
    <message>
        <location filename="../panels/timeline.py" line="417"/>
        <source>How fast Play goes through the snapshots</source>
        <translation>Wie schnell Abspielen durch die Schnappschüsse läuft</translation>
    </message>
</context>
<context>
    <name>TopNine</name>
    <message>
        <location filename="../panels/topnine.py" line="91"/>
        <source>What each filter responds to</source>
        <translation>Worauf jeder Filter anspricht</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="92"/>
        <source>Rank the test digits</source>
        <translation>Testziffern ordnen</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="93"/>
        <source>One pass over the test set: each filter&apos;s 9 digits with the strongest response</source>
        <translation>Ein Durchlauf über die Testmenge: für jeden Filter die 9 Ziffern mit der stärksten Antwort</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="96"/>
        <source>filter:</source>
        <translation>Filter:</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="97"/>
        <source>top 9 (frame: what it saw)</source>
        <translation>Die besten 9 (Rahmen: sein Blickfeld)</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="97"/>
        <source>the patches</source>
        <translation>die Ausschnitte</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="97"/>
        <source>it wants</source>
        <translation>Wunschbild</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="113"/>
        <source>The {arch} network has no conv layers: there are no filters to rank digits by.</source>
        <translation>Das Netz {arch} hat keine Faltungsschichten: Es gibt keine Filter, nach denen sich Ziffern ordnen ließen.</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="124"/>
        <source>The weights have changed: rank again to follow them.</source>
        <translation>Die Gewichte haben sich geändert: neu ordnen, um ihnen zu folgen.</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="126"/>
        <source>Press the button to rank the test digits for every filter.</source>
        <translation>Drücke den Knopf, um die Testziffern für jeden Filter zu ordnen.</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="131"/>
        <source>ranking … {percent} %</source>
        <translation>ordne … {percent} %</translation>
    </message>
    <message>
        <location filename="../panels/topnine.py" line="150"/>
        <source>{count} test digits ranked in {seconds} s</source>
        <translation>{count} Testziffern in {seconds} s geordnet</translation>
    </message>
</context>
<context>
    <name>Views</name>
    <message>
        <location filename="../window/views.py" line="382"/>
        <source>draw a digit</source>
        <translation>eine Ziffer zeichnen</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="138"/>
        <source>Not classified: {problem}</source>
        <translation>Nicht klassifiziert: {problem}</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="171"/>
        <source>loading TensorFlow… the digit is classified when the model is ready</source>
        <translation>TensorFlow wird geladen… die Ziffer wird klassifiziert, sobald das Modell bereit ist</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="408"/>
        <source>No saliency map: {message}</source>
        <translation>Keine Salienzkarte: {message}</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="356"/>
        <source>The test images could not be classified: {message}</source>
        <translation>Die Testbilder ließen sich nicht klassifizieren: {message}</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="285"/>
        <source>classifying the {count} test images…</source>
        <translation>klassifiziere die {count} Testbilder…</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="370"/>
        <source>test image {index}, label {label}</source>
        <translation>Testbild {index}, Klasse {label}</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="368"/>
        <source>the drawing</source>
        <translation>die Zeichnung</translation>
    </message>
    <message>
        <location filename="../window/views.py" line="361"/>
        <source>waiting for MNIST…</source>
        <translation>warte auf MNIST…</translation>
    </message>
</context>
</TS>
