<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="en_GB">
<context>
    <name>Convolution</name>
    <message numerus="yes">
        <source>all %n channel(s)</source>
        <translation>
            <numerusform>the one channel</numerusform>
            <numerusform>all %n channels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n product(s)</source>
        <translation>
            <numerusform>%n product</numerusform>
            <numerusform>%n products</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Evaluation</name>
    <message numerus="yes">
        <source>%n mistake(s) · {right} of {total} right ({accuracy})</source>
        <translation>
            <numerusform>%n mistake · {right} of {total} right ({accuracy})</numerusform>
            <numerusform>%n mistakes · {right} of {total} right ({accuracy})</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{label}→{pred}: %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>{label}→{pred}: %n mistake, the most confident first</numerusform>
            <numerusform>{label}→{pred}: %n mistakes, the most confident first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>label {label}: %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>label {label}: %n mistake, the most confident first</numerusform>
            <numerusform>label {label}: %n mistakes, the most confident first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>all %n mistake(s), the most confident first</source>
        <translation>
            <numerusform>the only mistake</numerusform>
            <numerusform>all %n mistakes, the most confident first</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FeatureMaps</name>
    <message numerus="yes">
        <source>&lt;b&gt;{layer}&lt;/b&gt;: %n unit(s) (ReLU)</source>
        <translation>
            <numerusform>&lt;b&gt;{layer}&lt;/b&gt;: %n unit (ReLU)</numerusform>
            <numerusform>&lt;b&gt;{layer}&lt;/b&gt;: %n units (ReLU)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterWishes</name>
    <message numerus="yes">
        <source>{layer}: %n image(s) in {seconds}; the filters fire {gain}× more than on noise</source>
        <translation>
            <numerusform>{layer}: %n image in {seconds}; the filters fire {gain}× more than on noise</numerusform>
            <numerusform>{layer}: %n images in {seconds}; the filters fire {gain}× more than on noise</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Filters</name>
    <message numerus="yes">
        <source>{layer}: %n filter(s) of {size}, input channel {channel}</source>
        <translation>
            <numerusform>{layer}: %n filter of {size}, input channel {channel}</numerusform>
            <numerusform>{layer}: %n filters of {size}, input channel {channel}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{layer}: %n filter(s) of {size}, mean over input channels</source>
        <translation>
            <numerusform>{layer}: %n filter of {size}, mean over input channels</numerusform>
            <numerusform>{layer}: %n filters of {size}, mean over input channels</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>{layer}: %n filter(s) of {size}, input: the image</source>
        <translation>
            <numerusform>{layer}: %n filter of {size}, input: the image</numerusform>
            <numerusform>{layer}: %n filters of {size}, input: the image</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Paused after %n batch(es) · Step: one more · space: resume</source>
        <translation>
            <numerusform>Paused after %n batch · Step: one more · space: resume</numerusform>
            <numerusform>Paused after %n batches · Step: one more · space: resume</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) leave the runs table and the loss plot.</source>
        <translation>
            <numerusform>%n run leaves the runs table and the loss plot.</numerusform>
            <numerusform>%n runs leave the runs table and the loss plot.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) leave the class set.</source>
        <translation>
            <numerusform>%n drawing leaves the class set.</numerusform>
            <numerusform>%n drawings leave the class set.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message numerus="yes">
        <source>{arch}: %n epoch(s), test accuracy {accuracy}</source>
        <translation>
            <numerusform>{arch}: %n epoch, test accuracy {accuracy}</numerusform>
            <numerusform>{arch}: %n epochs, test accuracy {accuracy}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message numerus="yes">
        <source>Training stopped after %n batch(es)</source>
        <translation>
            <numerusform>Training stopped after %n batch</numerusform>
            <numerusform>Training stopped after %n batches</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Teach</name>
    <message numerus="yes">
        <source>%n drawing(s) imported; writers: {writers}; left out: {skipped}, e.g. {message}</source>
        <translation>
            <numerusform>%n drawing imported; writers: {writers}; left out: {skipped}, e.g. {message}</numerusform>
            <numerusform>%n drawings imported; writers: {writers}; left out: {skipped}, e.g. {message}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) imported; writers: {writers}</source>
        <translation>
            <numerusform>%n drawing imported; writers: {writers}</numerusform>
            <numerusform>%n drawings imported; writers: {writers}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Class set: %n drawing(s) in {folder}</source>
        <translation>
            <numerusform>Class set: %n drawing in {folder}</numerusform>
            <numerusform>Class set: %n drawings in {folder}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) now labelled {digit}</source>
        <translation>
            <numerusform>%n drawing now labelled {digit}</numerusform>
            <numerusform>%n drawings now labelled {digit}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n drawing(s) deleted</source>
        <translation>
            <numerusform>%n drawing deleted</numerusform>
            <numerusform>%n drawings deleted</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete all %n drawing(s) of the class set?</source>
        <translation>
            <numerusform>Delete the only drawing of the class set?</numerusform>
            <numerusform>Delete all %n drawings of the class set?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Taught on %n drawing(s) in {seconds} s: {fixed} now read right, {broken} now wrong</source>
        <translation>
            <numerusform>Taught on %n drawing in {seconds} s: {fixed} now read right, {broken} now wrong</numerusform>
            <numerusform>Taught on %n drawings in {seconds} s: {fixed} now read right, {broken} now wrong</numerusform>
        </translation>
    </message>
</context>
</TS>
